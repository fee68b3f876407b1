using System.IO.Compression;
using System.Text;

namespace Telephony.Intake.Classification;

/// <summary>
/// One trained linear scorer over the feature space: score_c = bias_c + Σ x_i · W[i, c], turned into
/// probabilities by a softmax of <see cref="Temperature"/> · score (the temperature is fitted after
/// training so one-versus-all scores, which are not probabilities, give sensible ones: on the head's own training
/// messages by the trainers, then on held-out margins by <see cref="ClassifierTrainer"/>, <see cref="HeldOutTemperatures"/>).
/// Weights are feature-major (the categories of one feature side by side), so a prediction reads one
/// short contiguous run per n-gram.
/// </summary>
public sealed record LinearHead(string Trainer, float[] Weights, float[] Bias, float Temperature);

/// <summary>
/// The category model as <c>serve</c> runs it: our own featurization and dot products over weights that
/// ML.NET trainers produced (docs/intake.md). No ML.NET row machinery per prediction: a 60-character
/// transcript costs a few microseconds and allocates only the result. Several heads (an ensemble) average
/// their probabilities. Thread-safe: the scratch buffers are per thread.
/// </summary>
public sealed class LinearCategoryModel
{
    // linear-1: 1–3-grams; linear-2 adds the longest n-gram length after the categories.
    private const string Magic = "telephony-intake-linear-2";
    private const string MagicV1 = "telephony-intake-linear-1";
    [ThreadStatic] private static FeatureScratch? t_scratch;

    public IReadOnlyList<string> Categories { get; }
    public NgramFeatureSpace Features { get; }
    public IReadOnlyList<LinearHead> Heads { get; }

    public LinearCategoryModel(IReadOnlyList<string> categories, NgramFeatureSpace features, IReadOnlyList<LinearHead> heads)
    {
        foreach (var h in heads)
            if (h.Weights.Length != features.Count * categories.Count || h.Bias.Length != categories.Count)
                throw new ArgumentException($"head {h.Trainer}: weights do not match {features.Count} features × {categories.Count} categories");
        Categories = categories;
        Features = features;
        Heads = heads;
        // All heads' weights of one feature side by side (heads × categories floats; 56 bytes for two heads of
        // 7): a prediction reads one cache line per n-gram instead of one per n-gram and head.
        var k = categories.Count;
        var width = k * heads.Count;
        _rows = new float[features.Count * width];
        for (var i = 0; i < features.Count; i++)
            for (var h = 0; h < heads.Count; h++)
                heads[h].Weights.AsSpan(i * k, k).CopyTo(_rows.AsSpan(i * width + h * k, k));
    }

    private readonly float[] _rows;

    /// <summary>Probabilities of every category (in <see cref="Categories"/> order) into <paramref name="p"/>.</summary>
    public void Probabilities(ReadOnlySpan<char> prepared, Span<float> p) => Probabilities(Featurized(prepared), p);

    /// <summary>The text's features in this thread's scratch buffers (valid until the thread featurizes again).</summary>
    private FeatureScratch Featurized(ReadOnlySpan<char> prepared)
    {
        var s = t_scratch ??= new FeatureScratch();
        Features.Featurize(prepared, s);
        return s;
    }

    public void Probabilities(FeatureScratch s, Span<float> p)
    {
        var k = Categories.Count;
        p.Clear();
        Span<float> score = stackalloc float[k * Heads.Count];
        Margins(s, score);
        for (var h = 0; h < Heads.Count; h++)
        {
            var one = score.Slice(h * k, k);
            Softmax(one, Heads[h].Temperature);
            for (var c = 0; c < k; c++) p[c] += one[c] / Heads.Count;
        }
    }

    /// <summary>Each head's raw scores, before its softmax, into <paramref name="scores"/> (heads × categories, head-major): what temperatures are fitted on.</summary>
    public void Margins(ReadOnlySpan<char> prepared, Span<float> scores) => Margins(Featurized(prepared), scores);

    private void Margins(FeatureScratch s, Span<float> score)
    {
        var k = Categories.Count;
        var width = k * Heads.Count;
        if (score.Length != width) throw new ArgumentException($"need {width} scores ({Heads.Count} heads × {k} categories)", nameof(score));
        for (var h = 0; h < Heads.Count; h++) Heads[h].Bias.CopyTo(score.Slice(h * k, k));
        var rows = _rows;
        for (var i = 0; i < s.Count; i++)
        {
            var row = rows.AsSpan(s.Ids[i] * width, width);
            var v = s.Values[i];
            for (var c = 0; c < width; c++) score[c] += v * row[c];
        }
    }

    /// <summary>The same weights with other softmax temperatures, one per head (<see cref="HeldOutTemperatures"/>).</summary>
    public LinearCategoryModel WithTemperatures(IReadOnlyList<float> temperatures)
    {
        if (temperatures.Count != Heads.Count) throw new ArgumentException($"{temperatures.Count} temperatures for {Heads.Count} heads", nameof(temperatures));
        if (temperatures.Any(t => !(t > 0) || float.IsInfinity(t))) throw new ArgumentOutOfRangeException(nameof(temperatures), "temperatures must be positive and finite");
        return new LinearCategoryModel(Categories, Features, Heads.Select((h, i) => h with { Temperature = temperatures[i] }).ToList());
    }

    internal static void Softmax(Span<float> score, float temperature)
    {
        var max = float.NegativeInfinity;
        foreach (var v in score) max = MathF.Max(max, v);
        var sum = 0f;
        for (var c = 0; c < score.Length; c++) { score[c] = MathF.Exp(temperature * (score[c] - max)); sum += score[c]; }
        for (var c = 0; c < score.Length; c++) score[c] /= sum;
    }

    /// <summary>Saves as a zip with one binary entry (the file keeps the <c>Intake:Model</c> name models/intake-classifier.zip).</summary>
    public void Save(string path)
    {
        if (Features.Words is not null) throw new NotSupportedException("word features are a cross-validation experiment: the model file does not hold a segmenter");
        if (Features.LeadCharacters > 0) throw new NotSupportedException("lead n-grams are a cross-validation experiment: the model file does not hold their length");
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        using var w = new BinaryWriter(zip.CreateEntry("linear-model.bin", CompressionLevel.Fastest).Open(), Encoding.UTF8);
        w.Write(Magic);
        w.Write(Categories.Count);
        foreach (var c in Categories) w.Write(c);
        w.Write(Features.MaxLength);
        w.Write(Features.Count);
        foreach (var key in Features.Keys) w.Write(key);
        foreach (var idf in Features.Idf) w.Write(idf);
        w.Write(Heads.Count);
        foreach (var h in Heads)
        {
            w.Write(h.Trainer);
            w.Write(h.Temperature);
            foreach (var b in h.Bias) w.Write(b);
            foreach (var x in h.Weights) w.Write(x);
        }
    }

    public static LinearCategoryModel Load(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry("linear-model.bin") ?? throw new InvalidDataException($"{path}: not an intake model (no linear-model.bin inside); retrain with ./hotline train");
            using var r = new BinaryReader(entry.Open(), Encoding.UTF8);
            var magic = r.ReadString();
            if (magic != Magic && magic != MagicV1) throw new InvalidDataException($"{path}: an intake model of another version; retrain with ./hotline train");
            var categories = new string[r.ReadInt32()];
            for (var i = 0; i < categories.Length; i++) categories[i] = r.ReadString();
            var maxLength = magic == MagicV1 ? 3 : r.ReadInt32();
            if (maxLength is < 1 or > CharNgrams.LongestSupported) throw new InvalidDataException($"{path}: n-grams of {maxLength} characters are not supported");
            var count = r.ReadInt32();
            var keys = new ulong[count];
            var idf = new float[count];
            for (var i = 0; i < count; i++) keys[i] = r.ReadUInt64();
            for (var i = 0; i < count; i++) idf[i] = r.ReadSingle();
            var heads = new LinearHead[r.ReadInt32()];
            for (var h = 0; h < heads.Length; h++)
            {
                var trainer = r.ReadString();
                var temperature = r.ReadSingle();
                var bias = new float[categories.Length];
                for (var c = 0; c < bias.Length; c++) bias[c] = r.ReadSingle();
                var weights = new float[count * categories.Length];
                for (var i = 0; i < weights.Length; i++) weights[i] = r.ReadSingle();
                heads[h] = new LinearHead(trainer, weights, bias, temperature);
            }
            return new LinearCategoryModel(categories, new NgramFeatureSpace(keys, idf, maxLength), heads);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException && e.Message.IndexOf(path, StringComparison.Ordinal) < 0)
        {
            throw new InvalidDataException($"{path}: not a readable intake model ({e.Message}); retrain with ./hotline train", e);
        }
    }
}
