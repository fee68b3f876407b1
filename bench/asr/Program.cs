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
//            Silero endpointing and the pool; latency = transcript time - end of speech
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
        using var pool = new TranscriptionPool(model, new TranscriptionPoolOptions { Workers = 1, ThreadsPerWorker = threads, Decoding = options, RunTimeout = TimeSpan.FromMinutes(10) });
        await pool.TranscribeAsync(samples); // warm-up
        using var vad = SileroVad.Load(vadPath);
        var stream = samples.Concat(new short[24000]).ToArray();
        for (var run = 0; run < 3; run++)
        {
            var endpointer = Endpointer.WithSilero(vad);
            var start = Stopwatch.StartNew();
            Task<TranscriptionResult>? pending = null;
            Utterance? utterance = null;
            for (var i = 0; i < stream.Length && pending is null; i += 320)
            {
                var due = TimeSpan.FromSeconds(i / 16000.0);
                if (start.Elapsed < due) Thread.Sleep(due - start.Elapsed); // real-time pace, as RTP delivers it
                foreach (var u in endpointer.Push(stream.AsSpan(i, Math.Min(320, stream.Length - i)))) { utterance = u; pending = pool.TranscribeAsync(u.Samples); }
            }
            var endpointed = start.Elapsed;
            var cpuAtEndpoint = Environment.CpuUsage.TotalTime; // whisper's threads are this process's: the delta is the run's CPU
            var result = await pending!;
            var done = start.Elapsed;
            var cpu = Environment.CpuUsage.TotalTime - cpuAtEndpoint;
            Console.WriteLine($"latency run {run + 1}: speech {utterance!.SpeechStart.TotalSeconds:0.00}-{utterance.SpeechEnd.TotalSeconds:0.00} s, " +
                              $"end of speech to endpoint {(endpointed - utterance.SpeechEnd).TotalMilliseconds:0} ms, endpoint to transcript {(done - endpointed).TotalMilliseconds:0} ms, " +
                              $"end of speech to transcript {(done - utterance.SpeechEnd).TotalMilliseconds:0} ms; " +
                              $"whisper {result.Transcript.AudioContextFrames} frames, encode {result.Transcript.EncodeTime.TotalMilliseconds:0} ms, CPU {cpu.TotalMilliseconds:0} ms (load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        }
        break;
    }
}
