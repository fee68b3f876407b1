namespace Telephony.Ivr.Services;

/// <summary>
/// Everything outside the call a flow runner uses, in one bundle so Host builds it once and the simulator
/// builds it with fakes. <see cref="TimeZone"/> is the hotline's local zone for time-of-day conditions.
/// </summary>
public sealed record IvrServices(
    ISpeechToText SpeechToText,
    IRequestClassifier Classifier,
    ITextToSpeech TextToSpeech,
    IWorkOrders WorkOrders,
    IQueueTransfer Queues,
    IExternalTransfer External,
    IHolidayCalendar Calendar,
    TimeProvider Clock)
{
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>Folder for recordings (passed to <c>RecordOptions.Folder</c>); null lets the channel choose.</summary>
    public string? RecordingFolder { get; init; }
}
