using System.Globalization;
using Telephony.Intake.Classification;
using Telephony.Intake.Data;

namespace Telephony.Intake.Bench;

/// <summary>bench/intake/cv: k-fold cross-validation on train.csv of the training-text and ensemble choices (docs/intake.md).</summary>
public static class CvMode
{
    /// <param name="set">"text": title weight, title-only examples and the SDCA/NB-perceptron weight; "heads": which heads, with complement naive Bayes.</param>
    public static int Run(string shared, int folds, string set)
    {
        var train = MessageFile.Load(Path.Combine(shared, "data", "hotline-messages", "train.csv"));
        TrainingText[] texts;
        var combos = new List<CvCombination>();
        if (set == "text")
        {
            texts = [new(1, false), new(2, false), new(1, true), new(2, true)];
            combos.Add(new("Sdca", [TrainerKind.Sdca], [1f]));
            combos.Add(new("NbPerceptron", [TrainerKind.NbPerceptron], [1f]));
            foreach (var w in new[] { 0.3f, 0.4f, 0.5f, 0.6f, 0.7f })
                combos.Add(new($"Sdca×{w:0.0} + NbPerceptron×{1 - w:0.0}", [TrainerKind.Sdca, TrainerKind.NbPerceptron], [w, 1 - w]));
        }
        else if (set == "heads")
        {
            texts = [TrainingText.AsWritten, TrainingText.Default];
            TrainerKind s = TrainerKind.Sdca, nbp = TrainerKind.NbPerceptron, cnb = TrainerKind.ComplementNb, p = TrainerKind.Perceptron;
            combos.Add(new("ComplementNb", [cnb], [1f]));
            combos.Add(new("Perceptron", [p], [1f]));
            combos.Add(new("Sdca + NbPerceptron", [s, nbp], [1f, 1f]));
            combos.Add(new("NbPerceptron + ComplementNb", [nbp, cnb], [1f, 1f]));
            combos.Add(new("Sdca + ComplementNb", [s, cnb], [1f, 1f]));
            combos.Add(new("Sdca + NbPerceptron + ComplementNb", [s, nbp, cnb], [1f, 1f, 1f]));
            combos.Add(new("Sdca + NbPerceptron + Perceptron", [s, nbp, p], [1f, 1f, 1f]));
            combos.Add(new("all four", [s, nbp, cnb, p], [1f, 1f, 1f, 1f]));
        }
        else if (set == "mincount")
        {
            texts = [TrainingText.Default with { MinimumNgramMessages = 2 }, TrainingText.Default with { MinimumNgramMessages = 5 }];
            combos.Add(new("Sdca + NbPerceptron", [TrainerKind.Sdca, TrainerKind.NbPerceptron], [1f, 1f]));
            combos.Add(new("NbPerceptron", [TrainerKind.NbPerceptron], [1f]));
        }
        else if (set == "ngram4")
        {
            texts = [TrainingText.Default with { MaxNgramLength = 4 }];
            combos.Add(new("Sdca + NbPerceptron", [TrainerKind.Sdca, TrainerKind.NbPerceptron], [1f, 1f]));
            combos.Add(new("Sdca", [TrainerKind.Sdca], [1f]));
            combos.Add(new("NbPerceptron", [TrainerKind.NbPerceptron], [1f]));
        }
        else if (set == "lead")
        {
            // n-grams of the first 20, 40 or 80 characters a second time in their own namespace; or an extra example of the body's first 60 characters
            texts = [TrainingText.Default, TrainingText.Default with { LeadCharacters = 20 }, TrainingText.Default with { LeadCharacters = 40 },
                TrainingText.Default with { LeadCharacters = 80 }, TrainingText.Default with { BodyCutExamples = true }];
            combos.Add(new("DcdSvm + NbDcdSvm", [TrainerKind.DcdSvm, TrainerKind.NbDcdSvm], [1f, 1f]));
            combos.Add(new("DcdSvm", [TrainerKind.DcdSvm], [1f]));
            combos.Add(new("NbDcdSvm", [TrainerKind.NbDcdSvm], [1f]));
        }
        else if (set.StartsWith("svm", StringComparison.Ordinal))
        {
            // svm or svm:C1,C2,...: our dual-coordinate SVM at each C, alone and beside the intake-3 heads
            // svm:C,...@N: with n-grams up to N characters
            var at = set.IndexOf('@');
            var words = set.EndsWith("+words", StringComparison.Ordinal);
            if (words) set = set[..^6];
            var ngram = at > 0 ? int.Parse(set[(at + 1)..], CultureInfo.InvariantCulture) : 3;
            var cpart = at > 0 ? set[..at] : set;
            var cs = cpart.Length > 4 ? cpart[4..].Split(',').Select(x => float.Parse(x, CultureInfo.InvariantCulture)).ToArray() : [0.1f, 0.3f, 1f, 3f];
            texts = [TrainingText.Default with { MaxNgramLength = ngram, Words = words }];
            TrainerKind s = TrainerKind.Sdca, nbp = TrainerKind.NbPerceptron, svm = TrainerKind.DcdSvm, nbs = TrainerKind.NbDcdSvm;
            combos.Add(new("DcdSvm", [svm], [1f]));
            combos.Add(new("NbDcdSvm", [nbs], [1f]));
            combos.Add(new("Sdca + NbDcdSvm", [s, nbs], [1f, 1f]));
            combos.Add(new("NbPerceptron + NbDcdSvm", [nbp, nbs], [1f, 1f]));
            combos.Add(new("Sdca + NbPerceptron + NbDcdSvm", [s, nbp, nbs], [1f, 1f, 1f]));
            combos.Add(new("DcdSvm + NbDcdSvm", [svm, nbs], [1f, 1f]));
            combos.Add(new("Sdca + NbPerceptron", [s, nbp], [1f, 1f]));
            combos.Add(new("DcdSvm + NbDcdSvm + NbPerceptron", [svm, nbs, nbp], [1f, 1f, 1f]));
            combos.Add(new("DcdSvm + NbDcdSvm + Sdca", [svm, nbs, s], [1f, 1f, 1f]));
            combos.Add(new("all four", [svm, nbs, s, nbp], [1f, 1f, 1f, 1f]));
            foreach (var c in cs)
            {
                var w = System.Diagnostics.Stopwatch.StartNew();
                var rs = CrossValidation.Run(train, folds, texts, combos, Console.Error.WriteLine, trainHead: (kind, data, k, dim) => kind switch
                {
                    TrainerKind.DcdSvm => DualCoordinateSvm.Train(data, k, dim, nbScale: false, c: c),
                    TrainerKind.NbDcdSvm => DualCoordinateSvm.Train(data, k, dim, nbScale: true, c: c),
                    _ => null!,
                });
                Console.WriteLine($"C = {c}, 1–{ngram}-grams{(words ? " + words" : "")} ({w.Elapsed.TotalSeconds:0} s, load {File.ReadAllText("/proc/loadavg")[..14]})");
                foreach (var r in rs)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Combination,-33}  {r.MeanAccuracy,8:0.0000}  ({r.StdAccuracy:0.0000})  {r.MeanMacroF1,8:0.0000}"));
            }
            return 0;
        }
        else throw new ArgumentException($"unknown cross-validation set '{set}' (text, heads, mincount, ngram4 or svm[:C,...])");
        var load0 = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var results = CrossValidation.Run(train, folds, texts, combos, Console.Error.WriteLine);
        Console.WriteLine($"{folds}-fold cross-validation on train.csv ({train.Count} messages), {watch.Elapsed.TotalSeconds:0} s, load average {string.Join(" ", load0)} → {string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ')[..3])}");
        Console.WriteLine("title×  title-only examples  min n-gram messages  n  lead  body-cut  combination                        mean acc  (sd)     mean macro-F1");
        foreach (var r in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Text.TitleRepeats,6}  {r.Text.TitleOnlyExamples,-19}  {r.Text.MinimumNgramMessages,19}  {r.Text.MaxNgramLength}  {r.Text.LeadCharacters,4}  {r.Text.BodyCutExamples,-8}  {r.Combination,-33}  {r.MeanAccuracy,8:0.0000}  ({r.StdAccuracy:0.0000})  {r.MeanMacroF1,8:0.0000}"));
        return 0;
    }
}
