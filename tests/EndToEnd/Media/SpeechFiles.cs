using System.Globalization;
using Telephony.Media.Audio;
using Telephony.Testing;

namespace Telephony.EndToEnd.Media;

/// <summary>Test audio made with espeak-ng and sox (../shared/PEERS.md): Mandarin in pinyin with tone digits.</summary>
public static class SpeechFiles
{
    /// <summary>Speaks <paramref name="pinyin"/> into a mono PCM16 WAV at <paramref name="rate"/>, normalized to −3 dBFS.</summary>
    public static async Task<WavAudio> SpeakAsync(string pinyin, string path, int rate)
    {
        var raw = path + ".raw.wav";
        await RunAsync(ExternalTool.Require("espeak-ng", "espeak-ng"), ["-v", "cmn-latn-pinyin", "-w", raw, pinyin]);
        await RunAsync(ExternalTool.Require("sox", "sox"), [raw, "-r", rate.ToString(CultureInfo.InvariantCulture), "-c", "1", "-b", "16", "-e", "signed-integer", path, "gain", "-n", "-3"]);
        File.Delete(raw);
        return WavReader.Read(path);
    }

    /// <summary>Writes <paramref name="pcm"/> after <paramref name="lead"/> of silence (the caller waits for the greeting).</summary>
    public static void WriteWithLeadingSilence(string path, WavAudio audio, TimeSpan lead)
    {
        var silence = (int)(lead.TotalSeconds * audio.SampleRate);
        var samples = new short[silence + audio.Samples.Length];
        audio.Samples.CopyTo(samples, silence);
        WavWriter.Write(path, audio.SampleRate, WavEncoding.Pcm16, samples);
    }

    private static async Task RunAsync(string program, string[] arguments)
    {
        using var process = PeerProcess.Start(program, arguments);
        if (!await process.TryWaitForExitAsync(TimeSpan.FromSeconds(30)) || process.ExitCode != 0)
            Assert.Fail($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed:\n{process.Output}");
    }
}
