using Telephony.Host.Agents;
using Telephony.Host.Logging;
using Telephony.Intake;
using Telephony.Tickets.Store;

namespace Telephony.Host.Api;

/// <summary>
/// The screen pop of a call offered to an agent: the IVR's <see cref="DeskCall"/> with the number masked (the
/// agent reads it to confirm, never needs it whole: the order keeps it), intake's proposal for the transcript, and
/// the draft's fields as stored now. Built on request, so a reloaded page sees the draft's latest version.
/// </summary>
public sealed class DeskScreenPop(IntakeAnalyzer analyzer, ITicketStore store)
{
    public const int SimilarShown = 5;

    public async Task<DeskPopDto> BuildAsync(DeskCall call, DeskAssignments.Assignment assignment, CancellationToken cancel)
    {
        var draft = call.DraftCode is { Length: > 0 } code ? await store.GetByCodeAsync(code, cancel) : null;
        var proposal = call.Transcript is { Length: > 0 } text ? DeskProposalDto.From(analyzer.Analyze(text, SimilarShown)) : null;
        var recording = call.RecordingPath is { Length: > 0 } path && File.Exists(path) ? $"/api/desk/calls/{Uri.EscapeDataString(call.CallId)}/recording" : null;
        // Context values are what the IVR collected (menu choices, keyed digits): a number keyed in is masked like the caller's.
        var context = call.Context.ToDictionary(kv => kv.Key, kv => PhoneMasking.Mask(kv.Value), StringComparer.Ordinal);
        return new DeskPopDto(call.CallId, call.Queue, call.Caller is { Length: > 0 } caller ? PhoneMasking.MaskNumber(caller) : null, call.At,
            assignment.Answered, call.Transcript, recording, context, proposal, draft is null ? null : DeskDraftDto.From(draft));
    }
}
