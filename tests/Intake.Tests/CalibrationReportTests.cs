using Telephony.Intake.Classification;

namespace Telephony.Intake.Tests;

public class CalibrationReportTests
{
    [Test]
    public void Log_loss_ece_and_the_reliability_bins_follow_their_definitions()
    {
        // Four rows of two categories: top probabilities 0.9 (right), 0.9 (wrong), 0.58 (right), 0.55 (wrong).
        float[] p = [0.9f, 0.1f, 0.9f, 0.1f, 0.42f, 0.58f, 0.55f, 0.45f];
        int[] labels = [0, 1, 1, 1];
        var r = new CalibrationReport(p, labels, 2);
        Assert.That(r.Accuracy, Is.EqualTo(0.5));
        var logLoss = -(Math.Log(0.9) + Math.Log(0.1) + Math.Log(0.58) + Math.Log(0.45)) / 4;
        Assert.That(r.LogLoss, Is.EqualTo(logLoss).Within(1e-6));
        var nine = r.Bins[9];
        Assert.That((nine.Count, nine.Accuracy), Is.EqualTo((2, 0.5)));
        Assert.That(nine.MeanConfidence, Is.EqualTo(0.9).Within(1e-6));
        Assert.That(r.Bins[5].Count, Is.EqualTo(2));
        Assert.That(r.Bins[5].MeanConfidence, Is.EqualTo(0.565).Within(1e-6));
        // ECE: each bin's |confidence − accuracy| weighted by its share: 2/4 · 0.4 + 2/4 · 0.065.
        Assert.That(r.ExpectedCalibrationError, Is.EqualTo(0.5 * 0.4 + 0.5 * 0.065).Within(1e-6));
        Assert.That(r.Bins.Sum(b => b.Count), Is.EqualTo(4));
    }

    [Test]
    public void A_probability_of_one_falls_in_the_last_bin_and_a_zero_for_the_label_stays_finite()
    {
        var r = new CalibrationReport([1f, 0f], [1], 2);
        Assert.That(r.Bins[^1].Count, Is.EqualTo(1));
        Assert.That(r.LogLoss, Is.EqualTo(-Math.Log(CalibrationReport.ProbabilityFloor)).Within(1e-9));
        Assert.That(r.ExpectedCalibrationError, Is.EqualTo(1).Within(1e-6));
    }

    [Test]
    public void Probabilities_must_match_the_rows()
    {
        Assert.That(() => new CalibrationReport([0.5f, 0.5f, 1f], [0], 2), Throws.ArgumentException);
    }
}
