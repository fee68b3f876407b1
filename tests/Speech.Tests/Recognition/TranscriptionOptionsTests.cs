using Telephony.Speech.Recognition;

namespace Telephony.Speech.Tests.Recognition;

public class TranscriptionOptionsTests
{
    [TestCase(10.0, 640)]   // (10 + 2) s x 50 frames/s = 600, rounded up to 64s
    [TestCase(1.0, 256)]    // the floor
    [TestCase(29.0, 0)]     // 31 s with the margin: whisper's own window
    public void Encoder_window_is_sized_to_the_utterance_plus_a_margin(double seconds, int frames)
    {
        Assert.That(TranscriptionOptions.Default.AudioContextFor((int)(seconds * 16000)), Is.EqualTo(frames));
    }

    [Test]
    public void An_explicit_or_disabled_window_is_left_alone()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new TranscriptionOptions { AudioContext = 768 }.AudioContextFor(16000), Is.EqualTo(768));
            Assert.That(new TranscriptionOptions { FitAudioContext = false }.AudioContextFor(16000), Is.EqualTo(0));
        });
    }

    [Test]
    public void Token_limit_follows_the_audio_length_and_the_tighter_cap_wins()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TranscriptionOptions.Default.MaxTokensFor(10 * 16000), Is.EqualTo(128)); // 10 s x 12 + 8
            Assert.That(new TranscriptionOptions { MaxTokensPerSegment = 16 }.MaxTokensFor(10 * 16000), Is.EqualTo(16));
            Assert.That(new TranscriptionOptions { MaxTokensPerSecond = 0 }.MaxTokensFor(10 * 16000), Is.EqualTo(0));
        });
    }
}
