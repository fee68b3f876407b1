using System.Text.RegularExpressions;
using Telephony.Media.Audio;
using Telephony.Media.Prompts;

namespace Telephony.Host.Api;

/// <summary>One prompt as the admin API lists it: where its audio comes from, how long it is, what it says.</summary>
/// <param name="Source">"recorded" (a person's recording or an uploaded file), "synthesized" (espeak-ng) or "missing" (in the catalogue, no file yet).</param>
/// <param name="Custom">True when an admin replaced it (<c>Paths:CustomPrompts</c>); deleting it goes back to the default.</param>
/// <param name="HasDefault">True when the prompt exists without the replacement (prompts/prompts.tsv or prompts/NAME.wav).</param>
public sealed record PromptInfo(string Name, string Source, bool Custom, bool HasDefault, double? DurationSeconds, int? SampleRate, string? Encoding, string? Text);

/// <summary>
/// The prompts on disk for the admin API (docs/ivr.md "Prompts"): the defaults in <c>Paths:Prompts</c> (prompts/, its
/// catalogue prompts.tsv and the setup's synthesis stamps in .synth/) and the admin's replacements in
/// <c>Paths:CustomPrompts</c> (data/prompts: <c>NAME.wav</c>, and <c>NAME.txt</c> when synthesized from that text).
/// A replacement is written to a temporary file and renamed over the old one, so a reader (the prompt library
/// reloading, a download) sees the old file or the new one, never half of one. Bad audio is refused before anything
/// is written.
/// </summary>
public sealed class PromptStore
{
    public static readonly Regex NamePattern = new("^[a-z0-9_]{1,64}$", RegexOptions.Compiled);
    private readonly Lock _write = new();

    public PromptStore(string defaults, string custom, TimeSpan maxLength)
    {
        Defaults = defaults;
        Custom = custom;
        MaxLength = maxLength;
    }

    public string Defaults { get; }
    public string Custom { get; }
    public TimeSpan MaxLength { get; }

    /// <summary>The largest upload accepted: the longest allowed 16 kHz PCM16 prompt plus room for header chunks.</summary>
    public long MaxBytes => (long)(MaxLength.TotalSeconds * 16000 * 2) + 64 * 1024;

    /// <summary>Every prompt name a flow may use: the catalogue's, the default files' and the replacements'.</summary>
    public IReadOnlySet<string> Names()
    {
        var names = new HashSet<string>(Catalogue().Keys, StringComparer.Ordinal);
        foreach (var dir in new[] { Defaults, Custom })
            if (Directory.Exists(dir))
                foreach (var wav in Directory.EnumerateFiles(dir, "*.wav")) names.Add(Stem(wav));
        return names;
    }

    public IReadOnlyList<PromptInfo> List() => Names().Order(StringComparer.Ordinal).Select(n => Info(n)!).ToList();

    /// <summary>The prompt in effect, or null when no such prompt exists (or the name is not a prompt name).</summary>
    public PromptInfo? Info(string name)
    {
        if (!NamePattern.IsMatch(name)) return null;
        var catalogueText = Catalogue().GetValueOrDefault(name);
        var defaultFile = DefaultFile(name);
        var hasDefault = catalogueText is not null || defaultFile is not null;
        var custom = CustomWav(name);
        if (File.Exists(custom))
        {
            var text = CustomText(name);
            return Describe(name, custom, File.Exists(text) ? "synthesized" : "recorded", true, hasDefault,
                File.Exists(text) ? File.ReadAllText(text) : catalogueText);
        }
        if (defaultFile is not null)
            return Describe(name, defaultFile, File.Exists(Path.Combine(Defaults, ".synth", name + ".sha256")) ? "synthesized" : "recorded", false, true, catalogueText);
        return catalogueText is null ? null : new PromptInfo(name, "missing", false, true, null, null, null, catalogueText);
    }

    /// <summary>The WAV file that plays for <paramref name="name"/>, or null.</summary>
    public string? FileOf(string name) =>
        !NamePattern.IsMatch(name) ? null : File.Exists(CustomWav(name)) ? CustomWav(name) : DefaultFile(name);

    /// <summary>Why this file cannot be a prompt (null when it can): RIFF/WAVE, PCM16/µ-law/A-law, mono, 8 or 16 kHz, not empty, not too long.</summary>
    public string? Check(ReadOnlySpan<byte> file)
    {
        WavAudio audio;
        try
        {
            audio = WavReader.Parse(file);
        }
        catch (WavFormatException e)
        {
            return $"not a usable WAV file: {e.Message}";
        }
        if (audio.SampleRate is not (8000 or 16000)) return $"sample rate {audio.SampleRate} Hz: prompts must be 8000 or 16000 Hz (sox in.wav -r 16000 -c 1 -b 16 out.wav)";
        if (audio.Samples.Length == 0) return "the data chunk holds no audio";
        if (audio.Duration > MaxLength) return $"{audio.Duration.TotalSeconds:0.0} s long: prompts are at most {MaxLength.TotalSeconds:0} s (Prompts:MaxSeconds)";
        return null;
    }

    /// <summary>Replaces the prompt with an uploaded file (checked by the caller with <see cref="Check"/>).</summary>
    public void Replace(string name, ReadOnlySpan<byte> wav) => Write(name, wav.ToArray(), text: null);

    /// <summary>Replaces the prompt with synthesized audio and remembers the text it says.</summary>
    public void ReplaceSynthesized(string name, ReadOnlySpan<short> pcm16k, string text)
    {
        using var buffer = new MemoryStream();
        using (var writer = new WavWriter(buffer, 16000, WavEncoding.Pcm16, ownsStream: false)) writer.Write(pcm16k);
        Write(name, buffer.ToArray(), text);
    }

    /// <summary>Removes the admin's replacement; false when there was none.</summary>
    public bool Delete(string name)
    {
        lock (_write)
        {
            if (!File.Exists(CustomWav(name))) return false;
            File.Delete(CustomWav(name));
            File.Delete(CustomText(name));
            return true;
        }
    }

    private void Write(string name, byte[] wav, string? text)
    {
        if (!NamePattern.IsMatch(name)) throw new ArgumentException($"'{name}' is not a prompt name", nameof(name));
        Directory.CreateDirectory(Custom);
        lock (_write)
        {
            // The text goes first: a reader that sees the new audio also sees what it says.
            if (text is null) File.Delete(CustomText(name));
            else Atomically(CustomText(name), path => File.WriteAllText(path, text));
            Atomically(CustomWav(name), path => File.WriteAllBytes(path, wav));
        }
    }

    private void Atomically(string target, Action<string> write)
    {
        // A dot name without .wav: the prompt library and Names() never pick up a file being written.
        var tmp = Path.Combine(Custom, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(tmp);
            File.Move(tmp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    private PromptInfo Describe(string name, string path, string source, bool custom, bool hasDefault, string? text)
    {
        try
        {
            var audio = WavReader.Read(path);
            return new PromptInfo(name, source, custom, hasDefault, Math.Round(audio.Duration.TotalSeconds, 3), audio.SampleRate, audio.Encoding.ToString(), text);
        }
        catch (WavFormatException)
        {
            // The prompt library skips such a file too (and logs why); the listing shows it without a length.
            return new PromptInfo(name, source, custom, hasDefault, null, null, null, text);
        }
    }

    // prompts.tsv: name, Chinese text, pinyin; the Chinese text is what the prompt says.
    private Dictionary<string, string> Catalogue()
    {
        var path = Path.Combine(Defaults, PromptLibrary.CatalogFile);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return names;
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split('\t');
            var name = parts[0].Trim();
            if (name.Length == 0 || name == "name" || name[0] == '#') continue;
            names[name] = parts.Length > 1 ? parts[1].Trim() : "";
        }
        return names;
    }

    // NAME.wav, else the rate-specific files the prompt library also reads.
    private string? DefaultFile(string name) =>
        new[] { $"{name}.wav", $"{name}-16k.wav", $"{name}-8k.wav" }.Select(f => Path.Combine(Defaults, f)).FirstOrDefault(File.Exists);

    private static string Stem(string wav)
    {
        var stem = Path.GetFileNameWithoutExtension(wav);
        return stem.EndsWith("-16k", StringComparison.Ordinal) ? stem[..^4] : stem.EndsWith("-8k", StringComparison.Ordinal) ? stem[..^3] : stem;
    }

    private string CustomWav(string name) => Path.Combine(Custom, name + ".wav");
    private string CustomText(string name) => Path.Combine(Custom, name + ".txt");
}
