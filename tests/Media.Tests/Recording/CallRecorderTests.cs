using Microsoft.Extensions.Time.Testing;
using Telephony.Media.Audio;
using Telephony.Media.Recording;
using Telephony.Testing;

namespace Telephony.Media.Tests.Recording;

public class CallRecorderTests
{
    private string _dir = "";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    [SetUp]
    public void CreateScratch() => _dir = RepositoryPaths.NewScratchDirectory("rec");

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void A_crash_loses_at_most_one_second_and_leaves_a_valid_wav()
    {
        var path = Path.Combine(_dir, "calls", "crash.wav");
        var caller = Caller(8000, seconds: 5.5);
        var recorder = new CallRecorder(path, 8000, _time);
        FeedFrames(recorder, caller, 160);

        // The process "dies" here: no Close, no Dispose. What another process reads now is what survives.
        var survived = WavReader.Read(path);
        Assert.That(survived.SampleRate, Is.EqualTo(8000));
        double lost = (caller.Length - survived.Samples.Length) / 8000.0;
        TestContext.Out.WriteLine($"recorded 5.5 s, {survived.Duration.TotalSeconds:F2} s survived the crash ({lost:F2} s lost)");
        Assert.That(lost, Is.InRange(0, 1.0));
        Assert.That(survived.Samples, Is.EqualTo(caller[..survived.Samples.Length]), "what survives is exactly the caller's audio");
        GC.KeepAlive(recorder);
        recorder.Close();
    }

    [Test]
    public void At_every_moment_of_the_call_the_file_on_disk_lags_by_at_most_one_second()
    {
        var path = Path.Combine(_dir, "lag.wav");
        var caller = Caller(16000, seconds: 4);
        using var recorder = new CallRecorder(path, 16000, _time);
        double worst = 0;
        for (int offset = 0; offset < caller.Length; offset += 320)
        {
            recorder.Write(caller.AsSpan(offset, 320));
            _time.Advance(TimeSpan.FromMilliseconds(20));
            int onDisk = WavReader.Read(path).Samples.Length;
            worst = Math.Max(worst, (offset + 320 - onDisk) / 16000.0);
        }
        TestContext.Out.WriteLine($"worst lag of the file behind the call: {worst:F2} s");
        Assert.That(worst, Is.LessThanOrEqualTo(1.0));
    }

    [Test]
    public void Close_keeps_every_sample()
    {
        var path = Path.Combine(_dir, "closed.wav");
        var caller = Caller(8000, seconds: 2.37);
        var recorder = new CallRecorder(path, 8000, _time, encoding: WavEncoding.Pcm16);
        FeedFrames(recorder, caller, 160);
        recorder.Close();
        Assert.That(recorder.Duration.TotalSeconds, Is.EqualTo(caller.Length / 8000.0).Within(1e-9));
        Assert.That(WavReader.Read(path).Samples, Is.EqualTo(caller));
        Assert.That(() => recorder.Write(caller.AsSpan(0, 10)), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void A_mu_law_recording_holds_the_companded_audio()
    {
        var path = Path.Combine(_dir, "ulaw.wav");
        var caller = Caller(8000, seconds: 1.5);
        using (var recorder = new CallRecorder(path, 8000, _time, encoding: WavEncoding.MuLaw))
            FeedFrames(recorder, caller, 160);
        var audio = WavReader.Read(path);
        Assert.That(audio.Encoding, Is.EqualTo(WavEncoding.MuLaw));
        Assert.That(SignalMath.Snr(caller, audio.Samples, 0), Is.GreaterThan(30));
    }

    [Test]
    public void An_empty_call_is_still_a_valid_wav()
    {
        var path = Path.Combine(_dir, "empty.wav");
        var recorder = new CallRecorder(path, 8000, _time);
        Assert.That(WavReader.Read(path).Samples, Is.Empty, "valid even before Close");
        recorder.Close();
        Assert.That(WavReader.Read(path).Samples, Is.Empty);
    }

    [Test]
    public void An_existing_recording_is_never_overwritten()
    {
        var path = Path.Combine(_dir, "taken.wav");
        File.WriteAllText(path, "earlier call");
        Assert.That(() => new CallRecorder(path, 8000, _time), Throws.InstanceOf<IOException>());
        Assert.That(File.ReadAllText(path), Is.EqualTo("earlier call"));
    }

    [Test]
    public void A_flush_interval_over_one_second_is_refused()
    {
        Assert.That(() => new CallRecorder(Path.Combine(_dir, "x.wav"), 8000, _time, flushInterval: TimeSpan.FromSeconds(2)),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("at most one interval"));
        Assert.That(File.Exists(Path.Combine(_dir, "x.wav")), Is.False);
    }

    private void FeedFrames(CallRecorder recorder, short[] audio, int frame)
    {
        for (int offset = 0; offset < audio.Length; offset += frame)
        {
            recorder.Write(audio.AsSpan(offset, Math.Min(frame, audio.Length - offset)));
            _time.Advance(TimeSpan.FromMilliseconds(1000.0 * frame / recorder.SampleRate));
        }
    }

    // Something that is not periodic, so a misplaced block would show.
    private static short[] Caller(int rate, double seconds)
    {
        var random = new Random(12345);
        var samples = new short[(int)(rate * seconds)];
        for (int i = 0; i < samples.Length; i++) samples[i] = (short)(8000 * Math.Sin(i * 0.05) + random.Next(-2000, 2000));
        return samples;
    }
}

/// <summary>A real crash: a process recording in real time is killed (SIGKILL) in the middle of the call.</summary>
public class CallRecorderCrashTests
{
    [Test]
    public void A_killed_recording_process_leaves_a_valid_wav_missing_at_most_one_second()
    {
        var dir = RepositoryPaths.NewScratchDirectory("kill");
        var path = Path.Combine(dir, "killed.wav");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        // Not the test host's own settings (its startup hooks and test-platform variables).
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_STARTUP", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("COREHOST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.ArgumentList.Add(typeof(RecordingProcess).Assembly.Location);
        start.ArgumentList.Add("record");
        start.ArgumentList.Add(path);
        using var process = System.Diagnostics.Process.Start(start)!;
        try
        {
            long written = 0;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            // Record about 3.3 s of real time (not on a second boundary), then kill.
            while (written < 8000 * 33 / 10)
            {
                var read = process.StandardOutput.ReadLineAsync();
                Assert.That(read.Wait(TimeSpan.FromSeconds(20)), Is.True, "the recording process printed nothing for 20 s");
                var line = read.Result;
                if (line is null) Assert.Fail("the recording process ended early: " + process.StandardError.ReadToEnd());
                written = long.Parse(line!);
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "recording process too slow");
            }
            process.Kill();
            process.WaitForExit(10_000);

            var survived = Telephony.Media.Audio.WavReader.Read(path);
            double lost = (written - survived.Samples.Length) / 8000.0;
            TestContext.Out.WriteLine($"killed after {written / 8000.0:F2} s written; {survived.Duration.TotalSeconds:F2} s in the file ({lost:F2} s lost)");
            Assert.That(lost, Is.InRange(0, 1.0));
            for (int i = 0; i < survived.Samples.Length; i++)
                if (survived.Samples[i] != RecordingProcess.CrashSignal(i)) Assert.Fail($"sample {i} differs from what was recorded");
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            Directory.Delete(dir, recursive: true);
        }
    }
}
