using System.Diagnostics;
using Telephony.Media.Audio;
using Telephony.Testing;

namespace Telephony.Media.Tests;

/// <summary>
/// Mandarin speech synthesized with espeak-ng (pinyin voice, see ../shared/PEERS.md) and resampled by sox,
/// cached per process. A test needing it fails naming the missing package.
/// </summary>
internal static class TestSpeech
{
    /// <summary>Several sentences of the kind a caller says (about 20 s).</summary>
    public const string Sentences =
        "ni3 hao3, wo3 yao4 tou2 su4 lou2 xia4 de5 can1 guan3, mei3 tian1 wan3 shang4 dou1 hen3 chao3. " +
        "wo3 jia1 zhu4 zai4 dong1 cheng2 qu1 he2 ping2 lu4 san1 shi2 hao4, yi3 jing1 da3 guo4 liang3 ci4 dian4 hua4 le5. " +
        "qing3 wen4 zhe4 ge4 wen4 ti2 shen2 me5 shi2 hou4 neng2 jie3 jue2? xie4 xie4 ni3 men5. " +
        "hai2 you3, xiao3 qu1 men2 kou3 de5 lu4 deng1 huai4 le5 yi2 ge4 yue4, wan3 shang4 zou3 lu4 hen3 wei1 xian3.";

    private static readonly Dictionary<(int, int), short[]> Cache = [];

    /// <param name="sampleRate">8000 or 16000</param>
    /// <param name="pitch">espeak-ng's pitch, 0…99 (50 is its default): a lower or higher voice</param>
    public static short[] Mandarin(int sampleRate, int pitch = 50)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue((sampleRate, pitch), out var cached)) return cached;
            var espeak = ExternalTool.Require("espeak-ng", "espeak-ng");
            var sox = ExternalTool.Require("sox", "sox");
            var dir = RepositoryPaths.NewScratchDirectory("speech");
            try
            {
                var raw = Path.Combine(dir, "raw.wav");
                var output = Path.Combine(dir, $"speech{sampleRate}.wav");
                Run(espeak, "-v", "cmn-latn-pinyin", "-p", pitch.ToString(), "-w", raw, Sentences);
                Run(sox, raw, "-r", sampleRate.ToString(), "-c", "1", "-b", "16", "-e", "signed-integer", output, "gain", "-n", "-3");
                var audio = WavReader.Read(output);
                Assert.That(audio.SampleRate, Is.EqualTo(sampleRate));
                Cache[(sampleRate, pitch)] = audio.Samples;
                return audio.Samples;
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000)) { process.Kill(); Assert.Fail($"{program} did not finish in 60 s"); }
        if (process.ExitCode != 0) Assert.Fail($"{program} failed ({process.ExitCode}): {stderr.Result}");
    }
}
