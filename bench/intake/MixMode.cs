using Telephony.Intake.Classification;

namespace Telephony.Intake.Bench;

/// <summary>
/// bench/intake/cv FOLDS mix: out-of-fold probabilities of heads trained on different feature sets (1–3-grams,
/// 1–4-grams, lead n-grams, segmenter words, another C), then ensembles across feature sets, scored on the same
/// folds as <see cref="CrossValidation"/>. Heads that see different features may err differently, which heads
/// on one feature set did not (docs/intake.md).
/// </summary>
public static class MixMode
{
    private sealed record Config(string Name, TrainingText Text, bool NbScale, float C);

    public static int Run(string shared, int folds)
    {
        var cv = CvFolds.Load(shared, folds);
        var (train, fold, categories, label, k) = (cv.Train, cv.Fold, cv.Categories, cv.Label, cv.K);
        var d = TrainingText.Default;
        Config[] configs =
        [
            new("svm3", d, false, 1), new("nb3", d, true, 1),
            new("svm4", d with { MaxNgramLength = 4 }, false, 1), new("nb4", d with { MaxNgramLength = 4 }, true, 1),
            new("svmLead", d with { LeadCharacters = 20 }, false, 1), new("nbLead", d with { LeadCharacters = 20 }, true, 1),
            new("svmWords", d with { Words = true }, false, 1), new("nbWords", d with { Words = true }, true, 1),
            new("nb3C3", d, true, 3), new("svm3C0.5", d, false, 0.5f),
        ];
        var oof = configs.ToDictionary(c => c.Name, _ => new float[train.Count * k]);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var f = 0; f < folds; f++)
        {
            var trainPart = train.Where((_, i) => fold[i] != f).ToList();
            var held = Enumerable.Range(0, train.Count).Where(i => fold[i] == f).ToArray();
            foreach (var group in configs.GroupBy(c => c.Text))
            {
                var set = ClassifierTrainer.Featurize(trainPart, group.Key);
                foreach (var c in group)
                {
                    var head = DualCoordinateSvm.Train(set.Examples, k, set.Space.Count, c.NbScale, c.C);
                    var model = new LinearCategoryModel(set.Categories, set.Space, [head]);
                    foreach (var i in held) model.Probabilities(TextPreparation.Compose(train[i].Title, train[i].Text), oof[c.Name].AsSpan(i * k, k));
                }
            }
            Console.Error.WriteLine($"fold {f + 1}/{folds}, {watch.Elapsed.TotalSeconds:0} s");
        }
        string[][] combos =
        [
            ["svm3", "nb3"], ["svm4", "nb4"], ["svmLead", "nbLead"], ["svmWords", "nbWords"], ["svm3", "nb3C3"], ["svm3C0.5", "nb3"],
            ["svm3", "nb3", "svm4", "nb4"], ["svm3", "nb3", "svmLead", "nbLead"], ["svm3", "nb3", "svmWords", "nbWords"],
            ["svm4", "nb4", "svmLead", "nbLead"], ["svm3", "nb3", "svm4", "nb4", "svmLead", "nbLead", "svmWords", "nbWords"],
            ["nb3", "nb4", "nbLead", "nbWords"], ["svm3", "svm4", "svmLead", "svmWords"],
            ["svm3", "nb3", "nb3C3", "svm3C0.5"],
        ];
        Console.WriteLine($"{folds}-fold out-of-fold ensembles across feature sets on train.csv ({watch.Elapsed.TotalSeconds:0} s, load {File.ReadAllText("/proc/loadavg")[..14]})");
        foreach (var combo in combos)
        {
            var perFold = new double[folds];
            var count = new int[folds];
            for (var i = 0; i < train.Count; i++)
            {
                var best = 0;
                var bestScore = double.NegativeInfinity;
                for (var c = 0; c < k; c++)
                {
                    var s = 0.0;
                    foreach (var h in combo) s += oof[h][i * k + c];
                    if (s > bestScore) { bestScore = s; best = c; }
                }
                count[fold[i]]++;
                if (best == label[i]) perFold[fold[i]]++;
            }
            Console.WriteLine($"  {string.Join(" + ", combo),-70} {CvFolds.Summary(perFold.Select((a, f) => a / count[f]).ToArray())}");
        }
        return 0;
    }
}
