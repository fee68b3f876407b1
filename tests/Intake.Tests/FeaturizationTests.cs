using Telephony.Intake.Classification;

namespace Telephony.Intake.Tests;

public class FeaturizationTests
{
    [Test]
    public void Ngrams_stay_inside_a_run_of_letters_between_punctuation()
    {
        var keys = new ulong[4];
        var n = CharNgrams.Extract("漏水，物业", ref keys);
        var grams = keys[..n].Select(CharNgrams.Text).ToList();
        Assert.That(grams, Is.EquivalentTo(new[] { "漏", "水", "漏水", "物", "业", "物业" }));
    }

    [Test]
    public void A_message_becomes_a_unit_length_vector_with_repeated_ngrams_counted_sublinearly()
    {
        var space = NgramFeatureSpace.Fit(["燃气漏气", "燃气漏气了", "停水停电", "燃气"], minimumMessages: 2);
        var s = new FeatureScratch();
        space.Featurize("燃气燃气燃气漏气", s, sortIds: true);
        var values = s.Values[..s.Count];
        Assert.That(values.Sum(v => (double)v * v), Is.EqualTo(1.0).Within(1e-5));
        Assert.That(s.Ids[..s.Count], Is.Ordered.And.Unique);
        // 燃气 three times weighs 1 + ln 3 times its idf, not 3 times.
        var id = Array.IndexOf(space.Keys.ToArray(), space.Keys.ToArray().Single(k => CharNgrams.Text(k) == "燃气"));
        var once = new FeatureScratch();
        space.Featurize("燃气", once);
        Assert.That(values[Array.IndexOf(s.Ids, id, 0, s.Count)], Is.GreaterThan(0));
        Assert.That(once.Count, Is.EqualTo(3), "燃, 气, 燃气");
    }

    [Test]
    public void Prediction_order_of_ids_gives_the_same_features_as_the_sorted_training_order()
    {
        var space = NgramFeatureSpace.Fit(["燃气漏气", "燃气漏气了", "停水停电", "燃气", "漏气了停水"], minimumMessages: 2);
        var sorted = new FeatureScratch();
        var unsorted = new FeatureScratch();
        space.Featurize("停水了，燃气漏气燃气", sorted, sortIds: true);
        space.Featurize("停水了，燃气漏气燃气", unsorted);
        var a = Enumerable.Range(0, sorted.Count).ToDictionary(i => sorted.Ids[i], i => sorted.Values[i]);
        var b = Enumerable.Range(0, unsorted.Count).ToDictionary(i => unsorted.Ids[i], i => unsorted.Values[i]);
        Assert.That(b, Is.EquivalentTo(a));
        Assert.That(space.IdOf(0xdead), Is.EqualTo(-1), "an unknown key has no id");
    }

    [Test]
    public void Text_without_letters_or_digits_gives_no_features()
    {
        var space = NgramFeatureSpace.Fit(["燃气漏气", "燃气漏气了"], minimumMessages: 2);
        var s = new FeatureScratch();
        space.Featurize("!!!", s);
        Assert.That(s.Count, Is.Zero);
    }

    [Test]
    public void Four_grams_are_hashed_keys_that_also_stay_inside_a_run()
    {
        var keys = new ulong[4];
        var n = CharNgrams.Extract("燃气漏气，物业", ref keys, maxLength: 4);
        var fours = keys[..n].Where(k => k >> 48 == 4).ToList();
        Assert.That(fours, Is.EqualTo(new[] { CharNgrams.FourGramKey("燃气漏气") }), "one 4-gram, none across the comma");
        Assert.That(CharNgrams.FourGramKey("燃气漏气"), Is.Not.EqualTo(CharNgrams.FourGramKey("漏气燃气")));
        var three = CharNgrams.Extract("燃气漏气，物业", ref keys);
        Assert.That(keys[..three].Any(k => k >> 48 == 4), Is.False, "the default stops at 3");
        Assert.That(n, Is.EqualTo(three + 1));
    }

    [Test]
    public void A_longest_ngram_outside_one_to_four_is_refused()
    {
        var keys = new ulong[4];
        Assert.That(() => CharNgrams.Extract("燃气", ref keys, maxLength: 5), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new NgramFeatureSpace([], [], maxLength: 0), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void A_model_with_four_grams_saves_and_loads_its_ngram_length()
    {
        var space = NgramFeatureSpace.Fit(["燃气漏气", "燃气漏气了", "停水停电"], minimumMessages: 1, maxLength: 4);
        Assert.That(space.Keys.ToArray().Count(k => k >> 48 == 4), Is.EqualTo(3), "燃气漏气, 气漏气了 and 停水停电");
        var k = 2;
        var head = new LinearHead("test", Enumerable.Range(0, space.Count * k).Select(i => (float)(i % 5) - 2).ToArray(), [0.1f, -0.1f], 1f);
        var model = new LinearCategoryModel(["a", "b"], space, [head]);
        var path = Path.Combine(Path.GetTempPath(), $"intake-4gram-{Guid.NewGuid():N}.zip");
        try
        {
            model.Save(path);
            var loaded = LinearCategoryModel.Load(path);
            Assert.That(loaded.Features.MaxLength, Is.EqualTo(4));
            var p1 = new float[k];
            var p2 = new float[k];
            model.Probabilities("燃气漏气了", p1);
            loaded.Probabilities("燃气漏气了", p2);
            Assert.That(p2, Is.EqualTo(p1));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void Lead_ngrams_repeat_the_opening_characters_in_their_own_namespace()
    {
        var texts = new[] { "燃气漏气，物业不管", "物业不管燃气漏气", "燃气漏气了", "物业不管了" };
        var plain = NgramFeatureSpace.Fit(texts, minimumMessages: 1);
        var lead = NgramFeatureSpace.Fit(texts, minimumMessages: 1, leadCharacters: 5);
        var s = new FeatureScratch();
        lead.Featurize("燃气漏气，物业不管", s);
        var keys = s.Ids[..s.Count].Select(id => lead.Keys[id]).ToList();
        var inLead = keys.Where(k => k >> 48 > NgramFeatureSpace.LeadNamespace).Select(k => CharNgrams.Text((k & 0xFFFFFFFFFFFFUL) | ((k >> 48) - NgramFeatureSpace.LeadNamespace) << 48));
        // The first five characters are 燃气漏气 and the comma: their n-grams, and none of 物业不管.
        var expected = new ulong[16];
        var n = CharNgrams.Extract("燃气漏气，", ref expected);
        var opening = expected[..n].Select(CharNgrams.Text).Distinct().ToList(); // 气 twice
        Assert.That(inLead, Is.EquivalentTo(opening));
        Assert.That(lead.Count, Is.GreaterThan(plain.Count));
        plain.Featurize("燃气漏气，物业不管", s);
        Assert.That(keys.Count(k => k >> 48 <= CharNgrams.LongestSupported), Is.EqualTo(s.Count), "the plain namespace as without lead n-grams");
    }

    [Test]
    public void A_model_with_lead_ngrams_refuses_to_be_saved()
    {
        var space = NgramFeatureSpace.Fit(["燃气漏气", "物业不管"], minimumMessages: 1, leadCharacters: 2);
        var model = new LinearCategoryModel(["a"], space, [new LinearHead("t", new float[space.Count], [0f], 1f)]);
        Assert.That(() => model.Save(Path.Combine(Path.GetTempPath(), $"intake-lead-{Guid.NewGuid():N}.zip")),
            Throws.TypeOf<NotSupportedException>().With.Message.Contains("lead"));
    }
}
