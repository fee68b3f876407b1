using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Intake.Classification;
using Telephony.Intake.Cli;
using Telephony.Intake.Similar;

namespace Telephony.Intake.Tests;

public class StartupAndProgressTests
{
    [Test]
    public void Without_a_model_intake_still_proposes_a_department_and_the_rules()
    {
        var analyzer = IntakeStartup.Load(RepositoryPaths.Root, Path.Combine(Path.GetTempPath(), "no-such-model.zip"), new SimilarCaseIndex(), NullLogger.Instance);
        var p = analyzer.Analyze("楼下餐馆着火了");
        Assert.That(analyzer.Classifier, Is.Null);
        Assert.That(p.Department.RuleId, Is.EqualTo("fallback"));
        Assert.That(p.Emergency.Service, Is.EqualTo("119"));
    }

    [Test]
    public void Progress_is_plain_lines_when_not_a_terminal()
    {
        var output = new StringWriter();
        using (var bar = new TrainingProgressBar(output, interactive: false))
        {
            bar.Report(new TrainingProgress(0, 3, "featurizing"));
            bar.Report(new TrainingProgress(1, 3, ""));
            bar.Report(new TrainingProgress(1, 3, "training Sdca"));
        }
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[1], Does.StartWith("train: [1/3] training Sdca"));
        Assert.That(output.ToString(), Does.Not.Contain("\r"));
    }

    [Test]
    public void Progress_is_a_redrawn_bar_on_a_terminal()
    {
        var output = new StringWriter();
        using (var bar = new TrainingProgressBar(output, interactive: true))
            bar.Report(new TrainingProgress(2, 4, "training Perceptron"));
        var text = output.ToString();
        Assert.That(text, Does.StartWith("\r["));
        Assert.That(text, Does.Contain("[###############...............] 2/4"));
        Assert.That(text, Does.Contain("training Perceptron"));
    }
}
