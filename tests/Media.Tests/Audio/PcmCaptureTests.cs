using NUnit.Framework;
using Telephony.Media.Audio;

namespace Telephony.Media.Tests.Audio;

public class PcmCaptureTests
{
    [Test]
    public void Frames_appended_across_block_boundaries_come_back_whole_and_in_order()
    {
        using var capture = new PcmCapture(blockSamples: 1000);
        var expected = new List<short>();
        short next = 0;
        // 160-sample frames do not divide 1,000: frames straddle blocks; one long append spans three.
        for (var f = 0; f < 37; f++)
        {
            var frame = Enumerable.Range(0, 160).Select(_ => next++).ToArray();
            capture.Append(frame);
            expected.AddRange(frame);
        }
        var long_ = Enumerable.Range(0, 2500).Select(i => (short)-i).ToArray();
        capture.Append(long_);
        expected.AddRange(long_);

        Assert.That(capture.Length, Is.EqualTo(37 * 160 + 2500));
        var all = capture.Take();
        Assert.That(all, Is.EqualTo(expected.ToArray()));
        Assert.That(capture.Length, Is.Zero, "taking empties the capture");
        Assert.That(capture.Take(), Is.Empty);
    }

    [Test]
    public void An_empty_capture_gives_an_empty_array_and_a_block_size_out_of_range_is_refused()
    {
        using var capture = new PcmCapture(8000);
        Assert.That(capture.Take(), Is.Empty);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PcmCapture(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PcmCapture(100_000), "a block that large would be a large-object allocation");
    }
}
