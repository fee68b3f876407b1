using System.Text.RegularExpressions;
using Telephony.Intake.Classification;
using Telephony.Intake.Data;

namespace Telephony.Intake.Bench;

/// <summary>
/// bench/intake/cv FOLDS weak: can the official replies (hotline-replies, no category) add training signal?
/// A reply that names the offices of exactly one category (教育局 → 教育文体, 交通运输局 → 交通运输, …) gives
/// its message that category as a weak label. Scored on the same train.csv folds as <see cref="CrossValidation"/>:
/// the intake-4 pair trained on each fold's part alone, with the weakly labelled messages added, and beside a
/// head trained on the weak messages only (a "department model" used as an extra vote).
/// </summary>
public static class WeakMode
{
    private static readonly (string Category, Regex Offices)[] Offices =
    [
        ("教育文体", new("教育局|教育厅|教体局|文体局|文化局|体育局|教育部门|教育和体育局")),
        ("劳动和社会保障", new("人社局|人力资源和社会保障|社保局|社会保险|劳动监察|劳动保障|医保局|民政局")),
        ("卫生计生", new("卫健委|卫计委|卫生健康|卫生计生|卫生局|卫生和计划生育|疾控")),
        ("交通运输", new("交通运输局|交通局|交警|运管|公路局|交通运输厅|道路运输")),
        ("环境保护", new("环保局|环境保护局|生态环境局|生态环境分局|环保部门|环境监察|环境保护厅|生态环境厅")),
        ("商贸旅游", new("市场监管|市场监督管理|工商局|商务局|旅游局|文旅局|文化旅游|食药监|质监局|物价局")),
        ("城乡建设", new("住建局|住房和城乡建设|城管|规划局|自然资源|国土|房产局|不动产|住房保障|公积金|城乡建设局|市政")),
    ];

    public static int Run(string shared, int folds)
    {
        var cv = CvFolds.Load(shared, folds);
        var train = cv.Train;
        var weak = new List<LabeledMessage>();
        foreach (var file in new[] { "train.csv", "dev.csv" })
        {
            using var reader = new StreamReader(Path.Combine(shared, "data", "hotline-replies", file));
            string[]? header = null;
            foreach (var record in CsvRecords.Read(reader, file))
            {
                if (header is null) { header = [.. record.Fields]; continue; }
                string Field(string name) => record.Fields[Array.IndexOf(header, name)];
                var named = Offices.Where(o => o.Offices.IsMatch(Field("reply"))).Select(o => o.Category).ToList();
                if (named.Count == 1) weak.Add(new LabeledMessage(Field("id"), Field("title"), Field("text"), named[0]));
            }
        }
        Console.WriteLine($"weakly labelled reply messages: {weak.Count} ({string.Join(", ", weak.GroupBy(m => m.Category).Select(g => $"{g.Key} {g.Count()}"))})");
        var (fold, categories, k) = (cv.Fold, cv.Categories, cv.K);
        string[] names = ["pair", "pair + weak examples", "pair + weak-only head ×0.5", "pair + weak-only head ×1"];
        var acc = names.Select(_ => new List<double>()).ToArray();
        for (var f = 0; f < folds; f++)
        {
            var part = train.Where((_, i) => fold[i] != f).ToList();
            var held = train.Where((_, i) => fold[i] == f).ToList();
            float[] Probs(IReadOnlyList<LabeledMessage> data, bool pairOnly, bool nbOnly = false)
            {
                var set = ClassifierTrainer.Featurize(data);
                LinearHead[] heads = nbOnly
                    ? [DualCoordinateSvm.Train(set.Examples, k, set.Space.Count, nbScale: true)]
                    : [DualCoordinateSvm.Train(set.Examples, k, set.Space.Count, nbScale: false), DualCoordinateSvm.Train(set.Examples, k, set.Space.Count, nbScale: true)];
                if (!set.Categories.SequenceEqual(categories)) throw new InvalidOperationException("a category is missing");
                var model = new LinearCategoryModel(set.Categories, set.Space, heads);
                var p = new float[held.Count * k];
                for (var i = 0; i < held.Count; i++) model.Probabilities(TextPreparation.Compose(held[i].Title, held[i].Text), p.AsSpan(i * k, k));
                return p;
            }
            var pair = Probs(part, true);
            var withWeak = Probs([.. part, .. weak], true);
            var weakOnly = Probs(weak, false, nbOnly: true);
            double Score(Func<int, int, float> p)
            {
                var right = 0;
                for (var i = 0; i < held.Count; i++)
                {
                    var best = 0;
                    for (var c = 1; c < k; c++) if (p(i, c) > p(i, best)) best = c;
                    if (categories[best] == held[i].Category) right++;
                }
                return right / (double)held.Count;
            }
            acc[0].Add(Score((i, c) => pair[i * k + c]));
            acc[1].Add(Score((i, c) => withWeak[i * k + c]));
            acc[2].Add(Score((i, c) => pair[i * k + c] + 0.5f * weakOnly[i * k + c]));
            acc[3].Add(Score((i, c) => pair[i * k + c] + weakOnly[i * k + c]));
            Console.Error.WriteLine($"fold {f + 1}/{folds}");
        }
        for (var n = 0; n < names.Length; n++) Console.WriteLine($"  {names[n],-30} {CvFolds.Summary(acc[n])}");
        return 0;
    }
}
