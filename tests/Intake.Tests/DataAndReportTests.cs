using Telephony.Intake.Classification;
using Telephony.Intake.Data;

namespace Telephony.Intake.Tests;

public class DataAndReportTests
{
    [Test]
    public void Csv_reads_rfc4180_quotes_doubled_quotes_and_newlines_in_fields()
    {
        var csv = "id,title,text,category\n1,\"a, b\",\"he said \"\"hi\"\"\nand left\",城乡建设\r\n2,,plain,教育文体";
        var m = MessageFile.Parse(new StringReader(csv), "t.csv");
        Assert.That(m, Has.Count.EqualTo(2));
        Assert.That((m[0].Title, m[0].Text), Is.EqualTo(("a, b", "he said \"hi\"\nand left")));
        Assert.That((m[1].Id, m[1].Title, m[1].Category), Is.EqualTo(("2", "", "教育文体")));
    }

    [TestCase("id,text\n1,x\n", 1, "no 'category' column")]
    [TestCase("id,text,category\n1,x\n", 2, "2 fields where the header has 3")]
    [TestCase("id,text,category\n1,x,城乡建设\n2,\"open,城乡建设\n", 3, "not closed")]
    [TestCase("id,text,category\n1,x\"y,城乡建设\n", 2, "quote inside an unquoted field")]
    [TestCase("id,text,category\n1,x,\n", 2, "empty category")]
    [TestCase("", 1, "empty file")]
    public void A_bad_csv_is_refused_naming_the_line(string csv, int line, string reason)
    {
        var e = Assert.Throws<CsvFormatException>(() => MessageFile.Parse(new StringReader(csv), "t.csv"))!;
        Assert.That((e.Line, e.Reason.Contains(reason)), Is.EqualTo((line, true)), e.Message);
    }

    [Test]
    public void Report_computes_accuracy_macro_f1_and_the_confusion_matrix()
    {
        // a: 2 right, 1 taken for b; b: 1 right. Precision a 1, recall a 2/3; precision b 1/2, recall b 1.
        var r = new ClassificationReport([("a", "a"), ("a", "a"), ("a", "b"), ("b", "b")]);
        Assert.That(r.Accuracy, Is.EqualTo(0.75));
        var f1a = 2 * 1 * (2.0 / 3) / (1 + 2.0 / 3);
        var f1b = 2 * 0.5 * 1 / 1.5;
        Assert.That(r.MacroF1, Is.EqualTo((f1a + f1b) / 2).Within(1e-12));
        Assert.That(r.Confusion[0, 1], Is.EqualTo(1));
        Assert.That(r.Format(), Does.Contain("accuracy: 0.7500"));
    }

    [Test]
    public void Full_width_text_folds_to_the_same_characters()
    {
        Assert.That(TextPreparation.Compose("ＡＢＣ１２３", "　停电！"), Is.EqualTo("abc123。停电!"));
    }

    [Test]
    public void Titles_only_view_keeps_only_rows_with_a_title_and_cut60_drops_the_title()
    {
        var m = new[] { new LabeledMessage("1", "标题", new string('字', 100), "a"), new LabeledMessage("2", "", "短", "b") };
        Assert.That(Evaluation.View(m, EvaluationView.TitlesOnly).Single().Text, Is.EqualTo("标题"));
        Assert.That(Evaluation.View(m, EvaluationView.Cut60).Select(v => v.Text.Length), Is.EqualTo(new[] { 60, 1 }));
    }

    [Test]
    public void Checksum_changes_with_the_data()
    {
        var dir = RepositoryPaths.NewScratchDirectory("csum");
        try
        {
            var f = Path.Combine(dir, "train.csv");
            File.WriteAllText(f, "a");
            var one = MessageFile.Checksum([f]);
            File.WriteAllText(f, "b");
            Assert.That(MessageFile.Checksum([f]), Is.Not.EqualTo(one));
        }
        finally { Directory.Delete(dir, true); }
    }
}
