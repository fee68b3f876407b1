using Telephony.Intake.Data;

namespace Telephony.Intake.Bench;

/// <summary>
/// The peer: a keyword lookup such as a hotline might configure by hand. For each category, the 200 character
/// bigrams most specific to it in the training messages (share of their occurrences in that category, seen
/// at least 20 times); a message goes to the category whose keywords it contains most often.
/// </summary>
public sealed class KeywordBaseline
{
    private readonly Dictionary<(char, char), int> _keyword = new();
    private readonly string[] _categories;

    public KeywordBaseline(IEnumerable<LabeledMessage> train, int perCategory = 200)
    {
        var list = train.ToList();
        _categories = list.Select(m => m.Category).Distinct().Order(StringComparer.Ordinal).ToArray();
        var counts = new Dictionary<(char, char), int[]>();
        foreach (var m in list)
        {
            var c = Array.IndexOf(_categories, m.Category);
            var text = m.Title + m.Text;
            for (var i = 1; i < text.Length; i++)
            {
                if (!char.IsLetter(text[i - 1]) || !char.IsLetter(text[i])) continue;
                var key = (text[i - 1], text[i]);
                if (!counts.TryGetValue(key, out var a)) counts[key] = a = new int[_categories.Length];
                a[c]++;
            }
        }
        for (var c = 0; c < _categories.Length; c++)
        {
            var cc = c;
            foreach (var (key, _) in counts.Where(kv => kv.Value.Sum() >= 20)
                         .Select(kv => (kv.Key, Share: (double)kv.Value[cc] / kv.Value.Sum()))
                         .Where(x => x.Share > 0.5).OrderByDescending(x => x.Share).Take(perCategory))
                _keyword[key] = c;
        }
    }

    public string Predict(string text)
    {
        Span<int> hits = stackalloc int[_categories.Length];
        for (var i = 1; i < text.Length; i++)
            if (_keyword.TryGetValue((text[i - 1], text[i]), out var c)) hits[c]++;
        var best = 0;
        for (var c = 1; c < hits.Length; c++) if (hits[c] > hits[best]) best = c;
        return _categories[best];
    }
}
