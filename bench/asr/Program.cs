using System.Diagnostics;
using System.Globalization;
using Telephony.Speech.Audio;
using Telephony.Speech.Pool;
using Telephony.Speech.Recognition;
using Telephony.Speech.Vad;

// bench/asr. Usage: AsrBench MODEL VAD_MODEL UTTERANCE.wav THREADS MODE
//   single   one whisper_full on the file, full 30 s window, printed as "binding_ms N ..." (compared with whisper-cli by run.sh)
//   single-fit  the same with the encoder window fitted to the utterance (the hotline's default)
//   frames   prints that fitted window in encoder frames (for whisper-cli -ac)
//   pool     throughput: 8 copies of the file on pools of 1x2 and 2x1 workers x threads
//   latency  the file (a 10 s utterance) plus 1.5 s silence fed at real-time pace in 20 ms packets through
//            Silero endpointing and the pool (CallTranscriber), plain and speculative alternating, 3 runs each;
//            latency = transcript time - end of speech
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var (modelPath, vadPath, wav, threads, mode) = (args[0], args[1], args[2], int.Parse(args[3]), args[4]);
var samples = Pcm16Wav.Read(wav);
var seconds = samples.Length / 16000.0;
// Same decoding as run.sh passes to whisper-cli: greedy, best of 1, no fallback, no timestamps, zh, no prompt.
// whisper-cli's -ac 0 is the full 30 s window and it has no token-rate cap: "single" matches that; "single-fit"
// uses the hotline's fitted window, compared by run.sh with whisper-cli -ac set to the same frames.
var fitted = new TranscriptionOptions { Threads = threads, BestOf = 1, TemperatureIncrement = 0, InitialPrompt = null };
var options = mode == "single" ? fitted with { FitAudioContext = false, MaxTokensPerSecond = 0 } : fitted;

if (mode == "frames") { Console.WriteLine(fitted.AudioContextFor(samples.Length)); return; } // the fitted window, for whisper-cli -ac
using var model = WhisperModel.Load(modelPath);
switch (mode)
{
    case "single" or "single-fit":
    {
        using var recognizer = model.CreateRecognizer();
        var clock = Stopwatch.StartNew();
        var t = recognizer.Transcribe(Pcm16Wav.ToFloat(samples), options);
        Console.WriteLine($"binding_ms {clock.Elapsed.TotalMilliseconds:0} whisper_full_ms {t.ProcessingTime.TotalMilliseconds:0} audio_ctx {t.AudioContextFrames} " +
                          $"encode_ms {t.EncodeTime.TotalMilliseconds:0} decode_steps {t.DecoderSteps} decode_ms_per_step {(t.DecoderSteps > 0 ? t.DecodeTime.TotalMilliseconds / t.DecoderSteps : 0):0.0} " +
                          $"cpu_ms {Environment.CpuUsage.TotalTime.TotalMilliseconds:0} audio_s {seconds:0.00}");
        break;
    }
    case "pool":
        foreach (var (workers, perWorker) in new[] { (1, threads), (threads, 1) })
        {
            using var pool = new TranscriptionPool(model, new TranscriptionPoolOptions { Workers = workers, ThreadsPerWorker = perWorker, Decoding = options, QueueTimeout = TimeSpan.FromHours(1), RunTimeout = TimeSpan.FromMinutes(10) });
            await pool.TranscribeAsync(samples); // warm-up
            const int n = 8;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, n).Select(_ => pool.TranscribeAsync(samples)));
            var minutes = n * seconds / 60;
            Console.WriteLine($"pool {workers}x{perWorker}: {n} x {seconds:0.0} s in {clock.Elapsed.TotalSeconds:0.0} s = {minutes / clock.Elapsed.TotalMinutes:0.00} min of audio per min");
        }
        break;
    case "latency":
    {
        // Both paths on the same pool, alternating, so load changes hit them alike: "plain" transcribes once the
        // endpointer declares the end (800 ms of silence); "speculative" starts at a 300 ms pause and keeps the
        // run when the end comes on the same audio (CallTranscriber, docs/speech.md).
        using var pool = new TranscriptionPool(model, new TranscriptionPoolOptions { Workers = 1, ThreadsPerWorker = threads, Decoding = options, RunTimeout = TimeSpan.FromMinutes(10) });
        await pool.TranscribeAsync(samples); // warm-up
        using var vad = SileroVad.Load(vadPath);
        var stream = samples.Concat(new short[24000]).ToArray();
        var dir = Directory.CreateTempSubdirectory("asr-latency").FullName;
        var figures = new Dictionary<string, List<double>> { ["plain"] = [], ["speculative"] = [] };
        string? plainText = null;
        for (var run = 0; run < 3; run++)
        foreach (var speculate in new[] { false, true })
        {
            var label = speculate ? "speculative" : "plain";
            using var call = new CallTranscriber($"bench-{run}-{label}", Endpointer.WithSilero(vad), pool, dir, speculateAfter: speculate ? TimeSpan.FromMilliseconds(300) : null);
            var cpuAtStart = Environment.CpuUsage.TotalTime; // whisper's threads are this process's
            var start = Stopwatch.StartNew();
            CallUtterance? utterance = null;
            for (var i = 0; i < stream.Length && utterance is null; i += 320)
            {
                var n = Math.Min(320, stream.Length - i);
                var due = TimeSpan.FromSeconds((i + n) / 16000.0); // a packet arrives once its 20 ms have been spoken
                if (start.Elapsed < due) Thread.Sleep(due - start.Elapsed); // real-time pace, as RTP delivers it
                foreach (var u in call.Push(stream.AsSpan(i, n))) utterance ??= u;
            }
            var endpointed = start.Elapsed;
            var cpuAtEndpoint = Environment.CpuUsage.TotalTime;
            var result = await utterance!.Transcription;
            var done = start.Elapsed;
            var cpuEnd = Environment.CpuUsage.TotalTime;
            var speechEnd = utterance.Utterance.SpeechEnd;
            var latency = (done - speechEnd).TotalMilliseconds;
            figures[label].Add(latency);
            var text = result.Transcript.Text;
            var same = plainText is null || !speculate ? "" : text == plainText ? ", transcript same as plain" : ", TRANSCRIPT DIFFERS FROM PLAIN";
            if (!speculate) plainText ??= text;
            var s = call.Speculation;
            Console.WriteLine($"latency {label} run {run + 1}: speech {utterance.Utterance.SpeechStart.TotalSeconds:0.00}-{speechEnd.TotalSeconds:0.00} s, " +
                              $"end of speech to endpoint {(endpointed - speechEnd).TotalMilliseconds:0} ms, endpoint to transcript {(done - endpointed).TotalMilliseconds:0} ms, " +
                              $"end of speech to transcript {latency:0} ms; whisper {result.Transcript.ProcessingTime.TotalMilliseconds:0} ms ({result.Transcript.AudioContextFrames} frames, encode {result.Transcript.EncodeTime.TotalMilliseconds:0} ms), " +
                              $"CPU {(cpuEnd - cpuAtStart).TotalMilliseconds:0} ms in the run, {(cpuEnd - cpuAtEndpoint).TotalMilliseconds:0} ms after the endpoint" +
                              (s is null ? "" : $"; speculations started {s.Started}, cancelled {s.Cancelled}, refused {s.Refused}, used {s.Used}, result speculative {result.Speculative}") +
                              $"{same} (load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        }
        foreach (var (label, values) in figures)
            Console.WriteLine($"latency {label}: end of speech to transcript median {values.Order().ElementAt(values.Count / 2):0} ms ({string.Join(", ", values.Select(v => v.ToString("0")))})");
        Directory.Delete(dir, recursive: true);
        break;
    }
}
