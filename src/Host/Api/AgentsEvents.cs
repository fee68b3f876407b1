using System.Threading.Channels;
using Telephony.Agents.Acd;

namespace Telephony.Host.Api;

/// <summary>
/// Fans the ACD's changes out to server-sent-event subscribers (agent desktop, wallboard). Each subscriber has a
/// bounded channel; a slow one loses its oldest changes rather than slowing the ACD (it re-reads the snapshot).
/// </summary>
public sealed class AcdEvents : IDisposable
{
    private readonly AcdEngine acd;
    private readonly object gate = new();
    private readonly List<Channel<AcdChange>> subscribers = [];

    public AcdEvents(AcdEngine acd)
    {
        this.acd = acd;
        acd.Changed += Publish;
    }

    /// <summary>Starts receiving changes at once (so a snapshot read after this misses none); dispose to stop.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<AcdChange>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (gate) subscribers.Add(channel);
        return new Subscription(this, channel);
    }

    public sealed class Subscription(AcdEvents owner, Channel<AcdChange> channel) : IDisposable
    {
        public IAsyncEnumerable<AcdChange> ReadAllAsync(CancellationToken cancel) => channel.Reader.ReadAllAsync(cancel);
        public void Dispose() { lock (owner.gate) owner.subscribers.Remove(channel); }
    }

    private void Publish(AcdChange change)
    {
        lock (gate)
            foreach (var s in subscribers) s.Writer.TryWrite(change);
    }

    public void Dispose() => acd.Changed -= Publish;
}
