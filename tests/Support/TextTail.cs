namespace Telephony.Testing;

/// <summary>Keeps assertion messages readable when a peer logs megabytes: the end is where the failure is.</summary>
public static class TextTail
{
    public static string Of(string text, int maxChars = 8000) =>
        text.Length <= maxChars ? text : $"[... {text.Length - maxChars} characters cut ...]\n{text[^maxChars..]}";
}
