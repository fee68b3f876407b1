using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Telephony.Host.Speech;

/// <summary>
/// Text to speech at run time, for what a flow says that no prompt file holds (a status read back, an
/// admin's test text): espeak-ng's Mandarin voice, converted by sox to mono PCM16 at the call's rate.
/// espeak-ng 1.51 reads Chinese characters partly in English (../shared/PEERS.md), so text made only of
/// ASCII (tone-numbered pinyin such as "ni3 hao3") goes to the pinyin voice and anything else to <c>cmn</c>.
/// Results are cached per text and rate (flows say the same few sentences again and again).
/// </summary>
public sealed class TextToSpeech(ILogger<TextToSpeech> log)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<(string, int), Lazy<Task<short[]?>>> _cache = new();

    /// <summary>PCM for <paramref name="text"/>, or null (logged) when espeak-ng or sox are missing or fail.</summary>
    public Task<short[]?> SynthesizeAsync(string text, int sampleRate, CancellationToken cancel = default)
    {
        if (string.IsNullOrWhiteSpace(text)) return Task.FromResult<short[]?>([]);
        var entry = _cache.GetOrAdd((text, sampleRate), key => new Lazy<Task<short[]?>>(() => RunAsync(key.Item1, key.Item2)));
        var task = entry.Value;
        // A failure is not cached: espeak-ng may be installed by the time the next call asks.
        task.ContinueWith(t => { if (t.Result is null) _cache.TryRemove(new KeyValuePair<(string, int), Lazy<Task<short[]?>>>((text, sampleRate), entry)); },
            TaskScheduler.Default);
        return task.WaitAsync(cancel);
    }

    private async Task<short[]?> RunAsync(string text, int sampleRate)
    {
        var voice = text.All(char.IsAscii) ? "cmn-latn-pinyin" : "cmn";
        var wav = Path.Combine(Path.GetTempPath(), $"telephony-tts-{Guid.NewGuid():N}.wav");
        try
        {
            var espeak = await RunAsync("espeak-ng", ["-v", voice, "-w", wav, text]);
            if (espeak is not null) return Fail(espeak);
            var info = new ProcessStartInfo("sox") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { wav, "-r", sampleRate.ToString(), "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", "-", "gain", "-n", "-3" })
                info.ArgumentList.Add(a);
            using var sox = Process.Start(info)!;
            using var raw = new MemoryStream();
            var copy = sox.StandardOutput.BaseStream.CopyToAsync(raw);
            var errors = sox.StandardError.ReadToEndAsync();
            await WaitOrKillAsync(sox);
            await copy;
            if (sox.ExitCode != 0) return Fail($"sox exited {sox.ExitCode}: {(await errors).Trim()}");
            var bytes = raw.ToArray();
            var samples = new short[bytes.Length / 2];
            Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
            return samples;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or TimeoutException)
        {
            return Fail(e.Message);
        }
        finally
        {
            File.Delete(wav);
        }

        short[]? Fail(string why)
        {
            log.LogWarning("Text to speech failed ({Why}); the flow goes on without saying {Text}", why, text);
            return null;
        }
    }

    private static async Task<string?> RunAsync(string tool, string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        await WaitOrKillAsync(process);
        return process.ExitCode == 0 ? null : $"{tool} exited {process.ExitCode}: {(await errors).Trim()}";
    }

    // A tool that hangs is killed: the call is waiting for its audio.
    private static async Task WaitOrKillAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{process.StartInfo.FileName} took longer than {Limit.TotalSeconds:0} s");
        }
    }
}
