using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Telephony.Host.Calls;
using Telephony.Media.Channel;

namespace Telephony.Host.Agents;

/// <summary>
/// A caller joined to the agent who answered: the bridge both ways until either side hangs up, which ends the
/// other (BYE). When the agent finalizes the call's work order on the desktop (<see cref="CallDesk.Finalized"/>),
/// the bridge is paused and the caller hears "your query code is" and the code digit by digit (prompts
/// <c>query_code_is</c>, <c>digit_0</c>..<c>digit_9</c>); the agent hears silence meanwhile, then the bridge resumes
/// so the agent can close the conversation. Pausing rather than mixing keeps the code intelligible over whatever
/// the agent is saying. If the agent hangs up during the read-back, it is finished first, then the caller is hung up.
/// </summary>
public sealed class ConnectedCall(ICallChannel caller, IAgentCall agent, ChannelReader<string> finalizedCodes, ILogger log)
{
    public async Task RunAsync()
    {
        IDisposable? bridge = null;
        var callerEnded = BridgedLegs.Ended(caller.Ended);
        try
        {
            bridge = agent.Connect(caller);
            log.LogInformation("Call {CallId}: connected to agent {AgentId}", caller.CallId, agent.AgentId);
            var read = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                var next = finalizedCodes.WaitToReadAsync().AsTask();
                var done = await Task.WhenAny(callerEnded, agent.Ended, next).ConfigureAwait(false);
                if (done != next || !await next.ConfigureAwait(false)) break;
                if (!finalizedCodes.TryRead(out var code) || !read.Add(code)) continue;
                var digits = code.Where(char.IsAsciiDigit).ToList();
                if (digits.Count == 0) continue;
                bridge.Dispose();
                bridge = null;
                var items = new List<AudioItem> { new AudioItem.Prompt("query_code_is") };
                items.AddRange(digits.Select(d => (AudioItem)new AudioItem.Prompt($"digit_{d}")));
                var played = await caller.PlayAsync(items, PlayOptions.Default).ConfigureAwait(false);
                log.LogInformation("Call {CallId}: query code {QueryCode} read to the caller after the agent finalized ({Outcome}: {Played})",
                    caller.CallId, code, played.Outcome, string.Join(" ", played.Played));
                if (caller.Ended.IsCancellationRequested || agent.Ended.IsCompleted) break;
                bridge = agent.Connect(caller);
            }
        }
        catch (InvalidOperationException e)
        {
            log.LogError(e, "Call {CallId}: cannot bridge the caller to agent {AgentId}", caller.CallId, agent.AgentId);
        }
        finally
        {
            bridge?.Dispose();
            await BridgedLegs.EndBothAsync(caller, agent, "agent", agent.AgentId, log).ConfigureAwait(false);
        }
    }
}
