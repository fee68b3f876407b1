using Telephony.Ivr.Services;
using Telephony.Media.Channel;

namespace Telephony.Ivr.Simulation;

/// <summary>Returns what the script said into each recording (or fails when the script says <c>fail transcribe</c>).</summary>
public sealed class FakeSpeechToText(ScriptedCallChannel channel, bool fail) : ISpeechToText
{
    public Task<Transcript> TranscribeAsync(RecordResult utterance, CancellationToken cancellation)
    {
        if (fail) throw new InvalidOperationException("simulated transcriber failure");
        if (!File.Exists(utterance.Path)) throw new FileNotFoundException("recording not on disk", utterance.Path);
        return Task.FromResult(new Transcript(channel.Speech.GetValueOrDefault(utterance.Path!, ""), "zh"));
    }
}

/// <summary>
/// Keyword rules standing in for Intake in the simulator: fire → 119, crime → 110, injury → 120, a few common
/// categories, and 紧急/马上 for urgency. Enough to drive every branch of a flow from a script.
/// </summary>
public sealed class FakeClassifier(bool fail) : IRequestClassifier
{
    private static readonly (string[] Words, string Service)[] Emergencies =
    [
        (["着火", "起火", "火灾", "冒烟"], "119"),
        (["抢劫", "打人", "小偷", "持刀"], "110"),
        (["受伤", "晕倒", "流血", "昏迷"], "120"),
    ];

    private static readonly (string[] Words, string Category, string Department)[] Categories =
    [
        (["路灯", "道路", "井盖"], "城市管理", "城管局"),
        (["噪音", "扰民", "施工"], "环境保护", "生态环境局"),
        (["停水", "停电", "燃气"], "公用事业", "住建局"),
        (["工资", "拖欠"], "劳动保障", "人社局"),
    ];

    public Task<RequestClassification> ClassifyAsync(string text, CancellationToken cancellation)
    {
        if (fail) throw new InvalidOperationException("simulated classifier failure");
        foreach (var (words, service) in Emergencies)
            if (words.Any(text.Contains)) return Task.FromResult(new RequestClassification("紧急求助", null, "emergency", true, service));
        var urgency = text.Contains("紧急") || text.Contains("马上") ? "urgent" : "normal";
        foreach (var (words, category, department) in Categories)
            if (words.Any(text.Contains)) return Task.FromResult(new RequestClassification(category, department, urgency, false));
        return Task.FromResult(new RequestClassification("其他", null, urgency, false));
    }
}

public sealed class FakeTextToSpeech : ITextToSpeech
{
    public Task<ReadOnlyMemory<short>> SynthesizeAsync(string text, int sampleRate, CancellationToken cancellation) =>
        Task.FromResult<ReadOnlyMemory<short>>(new short[sampleRate / 10]);
}

/// <summary>Drafts in memory with sequential query codes; progress from the script's <c>order</c> lines and from drafts made.</summary>
public sealed class FakeWorkOrders(IReadOnlyDictionary<string, string> orders, IReadOnlySet<string> failures) : IWorkOrders
{
    private readonly Dictionary<string, string> _orders = new(orders);
    private int _next = 1;

    public List<DraftRequest> Drafts { get; } = new();

    public Task<DraftCreated> CreateDraftAsync(DraftRequest request, CancellationToken cancellation)
    {
        if (failures.Contains("draft")) throw new InvalidOperationException("simulated store failure");
        Drafts.Add(request);
        var code = $"2026{_next++:0000000}";
        _orders[code] = "已登记，待受理";
        return Task.FromResult(new DraftCreated(code, $"draft-{Drafts.Count}"));
    }

    public Task<OrderProgress?> GetProgressAsync(string queryCode, string callerNumber, CancellationToken cancellation)
    {
        if (failures.Contains("progress")) throw new InvalidOperationException("simulated store failure");
        return Task.FromResult(_orders.TryGetValue(queryCode, out var text) ? new OrderProgress(queryCode, "known", text) : null);
    }

    public Task<int> CountOpenOrdersAsync(string callerNumber, CancellationToken cancellation) => Task.FromResult(_orders.Count);
}

/// <summary>No agents and no trunk yet: every transfer is unavailable (the flows say so and keep the request).</summary>
public sealed class UnavailableTransfers : IQueueTransfer, IExternalTransfer
{
    public List<string> Requested { get; } = new();

    public Task<TransferResult> TransferToQueueAsync(ICallChannel call, string queue, IReadOnlyDictionary<string, string> context, CancellationToken cancellation)
    {
        Requested.Add("queue:" + queue);
        return Task.FromResult(new TransferResult(TransferOutcome.Unavailable, "no agents"));
    }

    public Task<TransferResult> TransferToNumberAsync(ICallChannel call, string number, CancellationToken cancellation)
    {
        Requested.Add("number:" + number);
        return Task.FromResult(new TransferResult(TransferOutcome.Unavailable, "no external trunk configured"));
    }
}
