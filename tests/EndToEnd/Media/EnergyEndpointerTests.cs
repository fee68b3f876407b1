using Telephony.Host.Calls;

namespace Telephony.EndToEnd.Media;

/// <summary>The energy endpointer that ends `serve`'s recording: speech, then 800 ms of silence.</summary>
public class EnergyEndpointerTests
{
    private static readonly CallFlowOptions Options = new()
    {
        RecordingsFolder = "unused", EndSilence = TimeSpan.FromMilliseconds(800),
        NoSpeechTimeout = TimeSpan.FromSeconds(2), MaxRecording = TimeSpan.FromSeconds(5),
    };

    private static short[] Tone(double dbfs)
    {
        var amplitude = 32767 * Math.Pow(10, dbfs / 20) * Math.Sqrt(2); // RMS at dbfs
        return Enumerable.Range(0, 160).Select(i => (short)(amplitude * Math.Sin(2 * Math.PI * 440 * i / 8000))).ToArray();
    }

    private static (EndpointResult Result, int Frames) Run(EnergyEndpointer e, short[] frame, int frames)
    {
        var result = EndpointResult.Listening;
        for (var i = 1; i <= frames; i++)
        {
            result = e.Process(frame, 8000);
            if (result is not (EndpointResult.Listening or EndpointResult.Speech)) return (result, i);
        }
        return (result, frames);
    }

    [Test]
    public void Recording_ends_800_ms_after_speech_stops()
    {
        var e = new EnergyEndpointer(Options);
        Assert.That(Run(e, Tone(-20), 50).Result, Is.EqualTo(EndpointResult.Speech));
        var (result, frames) = Run(e, new short[160], 100);
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(EndpointResult.EndOfSpeech));
            Assert.That(frames, Is.EqualTo(40), "40 frames of 20 ms");
        });
    }

    [Test]
    public void A_short_pause_inside_speech_does_not_end_it()
    {
        var e = new EnergyEndpointer(Options);
        Run(e, Tone(-20), 20);
        Assert.That(Run(e, new short[160], 30).Result, Is.EqualTo(EndpointResult.Speech), "600 ms pause");
        Assert.That(Run(e, Tone(-20), 5).Result, Is.EqualTo(EndpointResult.Speech));
    }

    [Test]
    public void A_quiet_line_below_the_threshold_ends_as_no_speech()
    {
        var e = new EnergyEndpointer(Options);
        var (result, frames) = Run(e, Tone(-50), 200);
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(EndpointResult.NoSpeech));
            Assert.That(frames, Is.EqualTo(100), "the 2 s timeout");
        });
    }

    [Test]
    public void A_caller_who_never_stops_is_cut_at_the_maximum_length()
    {
        var e = new EnergyEndpointer(Options);
        var (result, frames) = Run(e, Tone(-20), 1000);
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(EndpointResult.MaxLength));
            Assert.That(frames, Is.EqualTo(250));
        });
    }

    [Test]
    public void Two_loud_frames_are_a_click_not_speech()
    {
        var e = new EnergyEndpointer(Options);
        Run(e, Tone(-20), 2);
        Run(e, new short[160], 1);
        Assert.That(e.SpeechStarted, Is.False);
    }
}
