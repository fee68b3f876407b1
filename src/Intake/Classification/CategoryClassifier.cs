namespace Telephony.Intake.Classification;

/// <summary>One category with the model's probability for it.</summary>
public readonly record struct CategoryScore(string Category, float Probability);

/// <summary>
/// The trained category model, in-process and thread-safe (<see cref="LinearCategoryModel"/> keeps its
/// buffers per thread). Loaded from <c>Intake:Model</c> with the card beside it.
/// </summary>
public sealed class CategoryClassifier(LinearCategoryModel model, ModelCard? card = null)
{
    public LinearCategoryModel Model { get; } = model;
    public ModelCard? Card { get; } = card;
    public IReadOnlyList<string> Categories => Model.Categories;

    public static CategoryClassifier Load(ModelFiles files)
    {
        if (!File.Exists(files.Model)) throw new FileNotFoundException($"No trained intake model at {files.Model}: run `./hotline train`", files.Model);
        var card = File.Exists(files.Card) ? ModelCard.FromJson(File.ReadAllText(files.Card)) : null;
        return new CategoryClassifier(LinearCategoryModel.Load(files.Model), card);
    }

    /// <summary>Categories by probability, best first (at most <paramref name="top"/>). Raw text goes through <see cref="TextPreparation"/>.</summary>
    public CategoryScore[] Predict(string text, int top = 3) => PredictPrepared(TextPreparation.Compose(null, text), top);

    public CategoryScore[] PredictPrepared(string prepared, int top = 3)
    {
        var k = Categories.Count;
        Span<float> p = stackalloc float[k];
        Model.Probabilities(prepared, p);
        var result = new CategoryScore[Math.Min(top, k)];
        // Selection of the best few: k is 7, a sort would allocate for nothing.
        Span<bool> taken = stackalloc bool[k];
        for (var r = 0; r < result.Length; r++)
        {
            var best = -1;
            for (var c = 0; c < k; c++)
                if (!taken[c] && (best < 0 || p[c] > p[best])) best = c;
            taken[best] = true;
            result[r] = new CategoryScore(Categories[best], p[best]);
        }
        return result;
    }

    /// <summary>The best category of each prepared text (evaluation).</summary>
    public IReadOnlyList<string> PredictBatch(IEnumerable<string> prepared) =>
        prepared.Select(t => PredictPrepared(t, 1)[0].Category).ToList();
}
