using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Host.Calls;
using Telephony.Media.Audio;
using Telephony.Media.Channel;
using Telephony.Media.Clock;
using Telephony.Media.Codecs;
using Telephony.Media.Prompts;
using Telephony.Media.Rtp;
using Telephony.Testing;

namespace Telephony.Host.Tests.Calls;

/// <summary>
/// The IVR's channel over a real RTP session on 127.0.0.1 (PCMU, telephone-event 101), driven by a test peer
/// that sends µ-law frames and RFC 4733 events and decodes what the channel plays.
/// </summary>
[NonParallelizable]
public class RtpCallChannelTests
{
    private sealed class Call : IDisposable
    {
        public readonly TestRtpPeer Peer = new();
        public readonly MediaClock Clock = new();
        public readonly RtpSession Session;
        public readonly RtpCallChannel Channel;
        public readonly string Folder = Directory.CreateTempSubdirectory("channel-test").FullName;
        public int Hangups;

        public Call(TimeProvider? channelTime = null, TimeSpan? rtpTimeout = null)
        {
            Session = Peer.OpenSession();
            Channel = new RtpCallChannel("call-1@test", "13812345678", "12345", Session, 8000, PromptLibrary.Load(Folder, 8000),
                channelTime ?? TimeProvider.System, () => Interlocked.Increment(ref Hangups),
                new RtpCallChannelOptions { RecordingsFolder = Folder, RtpTimeout = rtpTimeout ?? TimeSpan.Zero }, NullLogger.Instance);
            Session.Start(Clock);
            Clock.Start();
        }

        public void Dispose()
        {
            Channel.Dispose();
            Session.Close();
            Clock.Dispose();
            Peer.Dispose();
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        }
    }

    private static short[] Tone(double seconds, double frequency = 440, double amplitude = 8000) =>
        Enumerable.Range(0, (int)(seconds * 8000)).Select(i => (short)(amplitude * Math.Sin(2 * Math.PI * frequency * i / 8000))).ToArray();

    private static double Rms(ReadOnlySpan<short> s)
    {
        double sum = 0;
        foreach (var x in s) sum += (double)x * x;
        return Math.Sqrt(sum / Math.Max(1, s.Length));
    }

    [Test]
    public async Task Played_audio_reaches_the_peer_and_a_missing_prompt_is_reported()
    {
        using var call = new Call();
        var result = await call.Channel.PlayAsync([new AudioItem.Pcm(Tone(0.4), "tone"), new AudioItem.Prompt("no-such-prompt"),
            new AudioItem.Silence(TimeSpan.FromMilliseconds(100))], PlayOptions.Default).WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(200);
        var heard = call.Peer.Received;
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(PlayOutcome.Completed));
            Assert.That(result.Played, Is.EqualTo(new[] { "tone", "silence 100 ms" }));
            Assert.That(result.Missing, Is.EqualTo(new[] { "no-such-prompt" }));
            Assert.That(result.Duration.TotalMilliseconds, Is.InRange(480, 520));
            Assert.That(Rms(heard), Is.GreaterThan(8000 / Math.Sqrt(2) * 0.4 * 0.5), "the peer heard the tone (RMS over everything it got)");
        });
    }

    [Test]
    public async Task A_digit_barges_in_stops_the_prompt_at_once_and_stays_buffered()
    {
        using var call = new Call();
        var play = call.Channel.PlayAsync([new AudioItem.Pcm(Tone(5), "long")], new PlayOptions { BargeIn = true });
        await Task.Delay(400);
        await call.Peer.SendDigitAsync('5');
        var result = await play.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(PlayOutcome.BargedIn));
            Assert.That(result.Duration.TotalSeconds, Is.LessThan(1.5), "stopped within a few frames of the key");
            Assert.That(call.Channel.PendingDigits, Is.EqualTo("5"));
        });
    }

    [Test]
    public async Task Without_barge_in_a_digit_does_not_stop_the_prompt()
    {
        using var call = new Call();
        var play = call.Channel.PlayAsync([new AudioItem.Pcm(Tone(0.8), "short")], PlayOptions.Default);
        await Task.Delay(200);
        await call.Peer.SendDigitAsync('7');
        var result = await play.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.That(result.Outcome, Is.EqualTo(PlayOutcome.Completed));
        Assert.That(result.Duration.TotalMilliseconds, Is.EqualTo(800).Within(1));
    }

    [Test]
    public async Task Digits_collect_until_the_terminator_which_is_not_included()
    {
        using var call = new Call();
        var collect = call.Channel.CollectDigitsAsync(new DigitOptions { MaxDigits = 6, Terminators = "#" });
        foreach (var d in "12#") await call.Peer.SendDigitAsync(d);
        var result = await collect.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.That(result, Is.EqualTo(new DigitsResult(DigitsOutcome.Terminated, "12", '#')));
        Assert.That(call.Channel.DigitsReceived, Is.EqualTo("12#"));
    }

    [Test]
    public async Task First_digit_timeout_and_inter_digit_timeout_come_from_the_time_provider()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var call = new Call(time);
        var options = new DigitOptions { MaxDigits = 4, FirstDigitTimeout = TimeSpan.FromSeconds(5), InterDigitTimeout = TimeSpan.FromSeconds(3) };

        var none = call.Channel.CollectDigitsAsync(options);
        await Task.Delay(100);
        time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(100);
        Assert.That(none.IsCompleted, Is.False, "4.9 s of the 5 s");
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.That(await none.WaitAsync(TimeSpan.FromSeconds(2)), Is.EqualTo(new DigitsResult(DigitsOutcome.Timeout, "", null)));

        var partial = call.Channel.CollectDigitsAsync(options);
        await call.Peer.SendDigitAsync('9');
        await Task.Delay(300);
        time.Advance(TimeSpan.FromSeconds(3.1));
        Assert.That(await partial.WaitAsync(TimeSpan.FromSeconds(2)), Is.EqualTo(new DigitsResult(DigitsOutcome.Timeout, "9", null)));
    }

    [Test]
    public async Task Buffered_digits_are_read_first()
    {
        using var call = new Call();
        await call.Peer.SendDigitAsync('3');
        await call.Peer.SendDigitAsync('4');
        await Task.Delay(300);
        var result = await call.Channel.CollectDigitsAsync(new DigitOptions { MaxDigits = 2 }).WaitAsync(TimeSpan.FromSeconds(1));
        Assert.That(result, Is.EqualTo(new DigitsResult(DigitsOutcome.Completed, "34", null)));
        Assert.That(call.Channel.PendingDigits, Is.Empty);
    }

    [Test]
    public async Task Recording_ends_on_silence_after_speech_and_the_wav_is_on_disk()
    {
        using var call = new Call();
        var record = call.Channel.RecordAsync(new RecordOptions { Beep = true, EndSilence = TimeSpan.FromMilliseconds(500) });
        await Task.Delay(400); // the 300 ms beep
        call.Peer.Speak(Tone(1.0));
        var result = await record.WaitAsync(TimeSpan.FromSeconds(6));
        var wav = WavReader.Read(result.Path!);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RecordOutcome.EndOfSpeech));
            Assert.That(result.SpeechDetected, Is.True);
            Assert.That(result.Duration.TotalSeconds, Is.InRange(1.4, 2.3), "speech (1 s) + 0.5 s of silence + the gap before it");
            Assert.That(wav.SampleRate, Is.EqualTo(8000));
            Assert.That(wav.Samples.Length, Is.EqualTo(result.Samples.Length), "the file holds every sample returned");
            Assert.That(Rms(wav.Samples), Is.GreaterThan(1000), "the tone is in the file");
        });
    }

    [Test]
    public async Task A_terminating_key_ends_the_recording_and_stays_buffered()
    {
        using var call = new Call();
        var record = call.Channel.RecordAsync(new RecordOptions { Beep = false, TerminatingKeys = "#" });
        await Task.Delay(300);
        await call.Peer.SendDigitAsync('#');
        var result = await record.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.That((result.Outcome, result.Key), Is.EqualTo((RecordOutcome.Key, (char?)'#')));
        Assert.That(call.Channel.PendingDigits, Is.EqualTo("#"));
        Assert.That(File.Exists(result.Path), Is.True);
    }

    [Test]
    public async Task Hang_up_mid_play_returns_HungUp_and_cancels_Ended()
    {
        using var call = new Call();
        var play = call.Channel.PlayAsync([new AudioItem.Pcm(Tone(5), "long")], PlayOptions.Default);
        await Task.Delay(300);
        call.Channel.OnEnded(); // the caller's BYE
        var result = await play.WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(PlayOutcome.HungUp));
            Assert.That(call.Channel.Ended.IsCancellationRequested, Is.True);
        });
        var collect = await call.Channel.CollectDigitsAsync(new DigitOptions()).WaitAsync(TimeSpan.FromSeconds(1));
        Assert.That(collect.Outcome, Is.EqualTo(DigitsOutcome.HungUp), "after the end, a collect returns at once");
    }

    [Test]
    public async Task Caller_hanging_up_mid_record_leaves_the_recording_closed_on_disk()
    {
        using var call = new Call();
        var record = call.Channel.RecordAsync(new RecordOptions { Beep = false, EndSilence = TimeSpan.FromSeconds(5) });
        call.Peer.Speak(Tone(1.0));
        await Task.Delay(1300);
        call.Channel.OnEnded();
        var result = await record.WaitAsync(TimeSpan.FromSeconds(2));
        var wav = WavReader.Read(result.Path!);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RecordOutcome.HungUp));
            Assert.That(wav.Samples.Length / 8000.0, Is.InRange(1.0, 1.6), "what was said before the BYE");
            Assert.That(Rms(wav.Samples), Is.GreaterThan(1000));
        });
    }

    [Test]
    public async Task Hangup_is_idempotent_and_sends_one_bye()
    {
        using var call = new Call();
        await Task.WhenAll(call.Channel.HangupAsync(), call.Channel.HangupAsync());
        await call.Channel.HangupAsync();
        Assert.That(call.Hangups, Is.EqualTo(1));
        Assert.That(call.Channel.Ended.IsCancellationRequested, Is.True);
    }

    [Test]
    public async Task No_rtp_from_the_peer_for_the_timeout_hangs_up_with_the_reason()
    {
        using var call = new Call(rtpTimeout: TimeSpan.FromSeconds(1));
        call.Peer.Muted = true;
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(call.Hangups, Is.EqualTo(1));
        Assert.That(call.Channel.HangupCause, Is.EqualTo("RtpTimeout"));
    }

    [Test]
    public async Task A_call_on_hold_is_not_hung_up_for_silence_nor_one_that_keeps_sending()
    {
        using var held = new Call(rtpTimeout: TimeSpan.FromSeconds(1));
        using var talking = new Call(rtpTimeout: TimeSpan.FromSeconds(1));
        held.Channel.OnMediaChanged(null, onHold: true);
        held.Peer.Muted = true;
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(held.Hangups, Is.Zero, "on hold");
        Assert.That(talking.Hangups, Is.Zero, "RTP keeps coming");
        held.Channel.OnMediaChanged(null, onHold: false);
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        Assert.That(held.Hangups, Is.Zero, "the timeout restarts on resume");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.That(held.Hangups, Is.EqualTo(1), "resumed and still silent");
    }
}
