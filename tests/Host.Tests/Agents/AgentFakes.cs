using System.Collections.Concurrent;
using Telephony.Agents.Offers;
using Telephony.Host.Agents;
using Telephony.Media.Channel;

namespace Telephony.Host.Tests.Agents;

/// <summary>Polling for what the call side does on its own threads, failing with what was awaited.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }
}

/// <summary>The caller's side of a call as the transfer sees it: prompts complete at once, the ringback plays until stopped.</summary>
internal sealed class FakeCallChannel(string callId = "call-1", string caller = "13812345678") : ICallChannel
{
    private readonly CancellationTokenSource _ended = new();
    public string CallId { get; } = callId;
    public string Caller { get; } = caller;
    public string Callee => "12345";
    public int SampleRate => 8000;
    public CancellationToken Ended => _ended.Token;
    public event Action<char>? Digit;

    /// <summary>The caller presses a key (as RFC 4733 would deliver it).</summary>
    public void Press(char digit) => Digit?.Invoke(digit);
    public string PendingDigits => "";
    public void ClearDigits() { }
    public ConcurrentQueue<string> Played { get; } = new();
    public bool HungUpByUs { get; private set; }

    /// <summary>Set by the fake agent's bridge: what the caller was joined to while each item played.</summary>
    public Func<bool>? Bridged { get; set; }
    public List<(string Item, bool Bridged)> PlayedWhile { get; } = [];

    public async Task<PlayResult> PlayAsync(IReadOnlyList<AudioItem> items, PlayOptions options, CancellationToken cancellation = default)
    {
        var labels = items.Select(i => i switch { AudioItem.Prompt p => p.Name, AudioItem.Pcm p => p.Label, _ => "silence" }).ToList();
        foreach (var l in labels)
        {
            Played.Enqueue(l);
            lock (PlayedWhile) PlayedWhile.Add((l, Bridged?.Invoke() ?? false));
        }
        if (labels.Contains("ringback"))
        {
            // A ringback cycle lasts 5 s; stopped early by the token or the hang-up.
            try { await Task.Delay(TimeSpan.FromSeconds(5), CancellationTokenSource.CreateLinkedTokenSource(cancellation, Ended).Token); }
            catch (OperationCanceledException) when (Ended.IsCancellationRequested) { return new PlayResult(PlayOutcome.HungUp, labels, [], TimeSpan.Zero); }
        }
        return new PlayResult(Ended.IsCancellationRequested ? PlayOutcome.HungUp : PlayOutcome.Completed, labels, [], TimeSpan.Zero);
    }

    public Task<DigitsResult> CollectDigitsAsync(DigitOptions options, CancellationToken cancellation = default) => throw new NotSupportedException();
    public Task<RecordResult> RecordAsync(RecordOptions options, CancellationToken cancellation = default) => throw new NotSupportedException();

    public Task HangupAsync()
    {
        HungUpByUs = true;
        _ended.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>The caller's BYE.</summary>
    public void CallerHangsUp() => _ended.Cancel();
}

/// <summary>An agent's answered phone: counts how often the caller was joined to it and left.</summary>
internal sealed class FakeAgentCall(string callId, string agentId) : IAgentCall
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open;
    public string AgentId { get; } = agentId;
    public string CallId { get; } = callId;
    public Task Ended => _ended.Task;
    private int _ringback;
    public int Connects;
    public bool IsBridged => Volatile.Read(ref _open) > 0;
    /// <summary>The agent hears ringback now (a callback's citizen is being rung).</summary>
    public bool HearsRingback => Volatile.Read(ref _ringback) > 0;
    public int Ringbacks;
    public bool HungUpByUs { get; private set; }

    public void Hangup()
    {
        HungUpByUs = true;
        _ended.TrySetResult();
    }

    /// <summary>The agent's BYE.</summary>
    public void AgentHangsUp() => _ended.TrySetResult();

    public IDisposable PlayRingback()
    {
        Interlocked.Increment(ref Ringbacks);
        Interlocked.Increment(ref _ringback);
        return new Undo(() => Interlocked.Decrement(ref _ringback));
    }

    private sealed class Undo(Action undo) : IDisposable
    {
        private int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) undo(); }
    }

    public IDisposable Connect(ICallChannel caller)
    {
        if (caller is FakeCallChannel fake) fake.Bridged = () => IsBridged;
        Interlocked.Increment(ref Connects);
        Interlocked.Increment(ref _open);
        return new Undo(() => Interlocked.Decrement(ref _open));
    }
}

/// <summary>An agent leg whose answer per agent is scripted; an answering agent's phone is parked as the SIP leg does.</summary>
internal sealed class FakeAgentLeg(AnsweredAgentCalls answered) : IAgentLeg
{
    public ConcurrentQueue<Offer> Offers { get; } = new();
    public ConcurrentDictionary<string, FakeAgentCall> Phones { get; } = new();
    public ConcurrentQueue<long> Withdrawn { get; } = new();
    /// <summary>Agent id → outcome; absent: rings until the ACD withdraws the offer.</summary>
    public ConcurrentDictionary<string, OfferOutcome> Script { get; } = new();

    public async Task<OfferOutcome> OfferAsync(Offer offer, CancellationToken cancel)
    {
        Offers.Enqueue(offer);
        await Task.Yield();
        if (!Script.TryGetValue(offer.AgentId, out var outcome))
        {
            try { await Task.Delay(Timeout.Infinite, cancel); }
            catch (OperationCanceledException) { Withdrawn.Enqueue(offer.Id); }
            return OfferOutcome.NoAnswer;
        }
        if (outcome == OfferOutcome.Answered)
        {
            var phone = new FakeAgentCall(offer.CallId, offer.AgentId);
            Phones[offer.AgentId] = phone;
            answered.Park(phone);
        }
        return outcome;
    }
}
