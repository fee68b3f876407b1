// bench/acd: how fast the ACD decides, with 1,000 calls waiting.
//   decisions/s: an agent frees up (call ended, no wrap-up), the ACD picks the next call, the leg answers at once,
//                a new call arrives to keep 1,000 waiting. CPU time per decision is printed too (robust to load).
//   time to offer: every agent busy, 1,000 waiting; one agent becomes available; the time until the leg is rung.
// Usage: dotnet run -c Release --project bench/acd [-- decisions] ; prints the load average with each figure.
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Agents.Acd;
using Telephony.Agents.Model;
using Telephony.Agents.Offers;
using Telephony.Agents.Queueing;
using Telephony.Agents.Routing;

var decisions = args.Length > 0 && int.TryParse(args[0], out var d) ? d : 200_000;
Throughput(RoutingStrategy.LongestIdle, decisions / 10, print: false); // JIT warm-up
foreach (var strategy in Enum.GetValues<RoutingStrategy>()) Throughput(strategy, decisions);
TimeToOffer(10_000);

static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static (AcdEngine Acd, Leg Leg) Build(RoutingStrategy strategy, int agentCount)
{
    var skill = new Skill(SkillKind.Dialect, "mandarin");
    var agents = Enumerable.Range(0, agentCount).Select(i => new AgentAccount
    {
        Id = $"a{i:000}", Name = $"Agent {i}", SipUser = $"agent{i}", Queues = ["12345"], WrapUp = TimeSpan.Zero,
        Skills = new Dictionary<Skill, int> { [skill] = 1 + i % 10 },
    }).ToList();
    var leg = new Leg();
    var acd = new AcdEngine(agents, [new QueueOptions { Name = "12345", Strategy = strategy }], leg, TimeProvider.System, NullLogger<AcdEngine>.Instance);
    return (acd, leg);
}

static void Throughput(RoutingStrategy strategy, int decisions, bool print = true)
{
    const int agentCount = 50, waitingCalls = 1000;
    var (acd, leg) = Build(strategy, agentCount);
    var skills = new[] { new SkillRequirement(new Skill(SkillKind.Dialect, "mandarin")) };
    leg.Answer = true;
    var next = 0;
    for (var i = 0; i < agentCount; i++) acd.SetAgentState($"a{i:000}", AgentState.Available);
    // The first 50 calls are answered at once; then 1,000 wait.
    for (; next < agentCount + waitingCalls; next++) acd.Enqueue(new CallRequest { CallId = $"c{next}", Queue = "12345", Skills = skills, Priority = (CallPriority)(next % 3) });
    var connected = new Queue<string>(leg.Answered);
    leg.Answered.Clear();
    var before = acd.Decisions;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < decisions; i++)
    {
        acd.CallEnded(connected.Dequeue());        // frees an agent → one routing decision → answered at once
        foreach (var c in leg.Answered) connected.Enqueue(c);
        leg.Answered.Clear();
        acd.Enqueue(new CallRequest { CallId = $"c{next++}", Queue = "12345", Skills = skills, Priority = (CallPriority)(next % 3) });
    }
    clock.Stop();
    var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    var made = acd.Decisions - before;
    if (acd.Queues()[0].Waiting != waitingCalls) throw new InvalidOperationException("the queue did not stay at 1,000 waiting");
    if (print) Console.WriteLine($"{strategy}: {made / clock.Elapsed.TotalSeconds:F0} decisions/s with {waitingCalls} waiting, {agentCount} agents " +
        $"({cpuUsed.TotalMicroseconds / made:F1} µs CPU per decision incl. hang-up and arrival; load {Load()})");
}

static void TimeToOffer(int samples)
{
    // An agent hangs up (no wrap-up) with 1,000 calls waiting: from CallEnded to the leg being rung for the next call.
    const int agentCount = 50, waitingCalls = 1000;
    var (acd, leg) = Build(RoutingStrategy.LongestIdle, agentCount);
    leg.Answer = true;
    for (var i = 0; i < agentCount; i++) acd.SetAgentState($"a{i:000}", AgentState.Available);
    var next = 0;
    for (; next < agentCount + waitingCalls; next++) acd.Enqueue(new CallRequest { CallId = $"c{next}", Queue = "12345" });
    var connected = new Queue<string>(leg.Answered);
    leg.Answered.Clear();
    var times = new double[samples];
    for (var i = 0; i < samples; i++)
    {
        var start = Stopwatch.GetTimestamp();
        acd.CallEnded(connected.Dequeue());
        times[i] = Stopwatch.GetElapsedTime(start, leg.LastRungAt).TotalMicroseconds;
        foreach (var c in leg.Answered) connected.Enqueue(c);
        leg.Answered.Clear();
        acd.Enqueue(new CallRequest { CallId = $"c{next++}", Queue = "12345" });
    }
    if (acd.Queues()[0].Waiting != waitingCalls) throw new InvalidOperationException("the queue did not stay at 1,000 waiting");
    Array.Sort(times);
    Console.WriteLine($"time to offer with {waitingCalls} waiting: p50 {times[samples / 2]:F1} µs, p99 {times[samples * 99 / 100]:F1} µs, max {times[^1]:F1} µs (load {Load()})");
}

/// <summary>A leg that answers at once (throughput) or rings forever (time to offer), noting when it was rung.</summary>
sealed class Leg : IAgentLeg
{
    private static readonly Task<OfferOutcome> AnsweredTask = Task.FromResult(OfferOutcome.Answered);
    public bool Answer;
    public long LastRungAt;
    public readonly List<string> Answered = [];
    public readonly Dictionary<string, string> LastCallOf = new();

    public Task<OfferOutcome> OfferAsync(Offer offer, CancellationToken cancel)
    {
        LastRungAt = Stopwatch.GetTimestamp();
        LastCallOf[offer.AgentId] = offer.CallId;
        if (!Answer) return new TaskCompletionSource<OfferOutcome>().Task;
        Answered.Add(offer.CallId);
        return AnsweredTask;
    }
}
