using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Telephony.Speech.Audio;
using Telephony.Testing;

namespace Telephony.Speech.Tests.Fixtures;

/// <summary>
/// Test audio made with espeak-ng (Mandarin from tone-numbered pinyin, see ../shared/PEERS.md) and sox:
/// 16 kHz PCM16, or the telephone path — down to 8 kHz, 300–3400 Hz band, line noise — and back up to
/// 16 kHz the way Media's resampler will. Files are cached per test run by their recipe.
/// </summary>
public static class TestAudio
{
    private static readonly string Directory = RepositoryPaths.NewScratchDirectory("speech-audio");
    private static readonly ConcurrentDictionary<string, Lazy<string>> Made = new();

    /// <summary>espeak-ng Mandarin at 16 kHz, normalised to -3 dBFS, no padding.</summary>
    public static string Speech(string pinyin) => Make("speech", pinyin, path =>
    {
        var raw = path + ".espeak.wav";
        Run(ExternalTool.Require("espeak-ng", "espeak-ng"), "-v", "cmn-latn-pinyin", "-w", raw, pinyin);
        Sox(raw, "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", path, "gain", "-n", "-3");
    });

    /// <summary>
    /// <paramref name="pinyin"/> sentences with <paramref name="gap"/> of silence between them and
    /// <paramref name="lead"/> / <paramref name="tail"/> around, through the telephone band at 8 kHz with
    /// noise <paramref name="noiseDb"/> below full scale (null: none), back at 16 kHz.
    /// </summary>
    public static string Telephone(string[] pinyin, TimeSpan lead, TimeSpan gap, TimeSpan tail, double? noiseDb) =>
        Make("phone", $"{string.Join('|', pinyin)}/{lead}/{gap}/{tail}/{noiseDb}", path =>
        {
            var clean = CleanSequence(pinyin, lead, gap, tail);
            var narrow = path + ".8k.wav";
            Sox(clean, "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", narrow, "sinc", "300-3400");
            var noisy = narrow;
            if (noiseDb is { } level)
            {
                var noise = path + ".noise.wav";
                var seconds = Pcm16Wav.Read(clean).Length / 16000.0;
                // -R: the same noise every run (sox seeds its generator from the clock otherwise).
                Sox("-R", "-n", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", noise,
                    "synth", seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), "pinknoise", "sinc", "300-3400", "gain", "-n", level.ToString(System.Globalization.CultureInfo.InvariantCulture));
                noisy = path + ".mix.wav";
                Sox("-m", narrow, noise, noisy);
            }
            Sox(noisy, "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", path);
        });

    /// <summary>The same sequence at 16 kHz with digital silence, the reference for where speech is.</summary>
    public static string CleanSequence(string[] pinyin, TimeSpan lead, TimeSpan gap, TimeSpan tail) =>
        Make("clean", $"{string.Join('|', pinyin)}/{lead}/{gap}/{tail}", path =>
        {
            var parts = new List<short>();
            parts.AddRange(new short[(int)(lead.TotalSeconds * 16000)]);
            for (var i = 0; i < pinyin.Length; i++)
            {
                if (i > 0) parts.AddRange(new short[(int)(gap.TotalSeconds * 16000)]);
                parts.AddRange(Pcm16Wav.Read(Speech(pinyin[i])));
            }
            parts.AddRange(new short[(int)(tail.TotalSeconds * 16000)]);
            Pcm16Wav.Write(path, parts.ToArray());
        });

    /// <summary>Where the speech in a clean (digitally silent between sentences) file is: runs of samples above
    /// -40 dBFS, joined across pauses shorter than <paramref name="join"/>.</summary>
    public static List<(TimeSpan Start, TimeSpan End)> SpeechRegions(short[] samples, TimeSpan join)
    {
        const int threshold = 328; // -40 dBFS
        var regions = new List<(long Start, long End)>();
        var joinSamples = (long)(join.TotalSeconds * 16000);
        for (var i = 0; i < samples.Length; i++)
        {
            if (Math.Abs((int)samples[i]) < threshold) continue;
            if (regions.Count > 0 && i - regions[^1].End <= joinSamples) regions[^1] = (regions[^1].Start, i + 1);
            else regions.Add((i, i + 1));
        }
        return regions.Select(r => (TimeSpan.FromSeconds(r.Start / 16000.0), TimeSpan.FromSeconds(r.End / 16000.0))).ToList();
    }

    private static string Make(string kind, string recipe, Action<string> make)
    {
        var key = kind + "-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(recipe)))[..16];
        return Made.GetOrAdd(key, k => new Lazy<string>(() =>
        {
            var path = Path.Combine(Directory, k + ".wav");
            make(path);
            return path;
        })).Value;
    }

    private static void Sox(params string[] args) => Run(ExternalTool.Require("sox", "sox libsox-fmt-all"), args);

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000)) { process.Kill(); Assert.Fail($"{program} did not finish in 60 s"); }
        if (process.ExitCode != 0) Assert.Fail($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Result}");
    }
}
