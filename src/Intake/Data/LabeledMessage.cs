namespace Telephony.Intake.Data;

/// <summary>A citizen message with its first-level category (一级分类), as in hotline-messages/*.csv.</summary>
public sealed record LabeledMessage(string Id, string Title, string Text, string Category);
