using Telephony.Intake.Classification;

namespace Telephony.Intake.Tests;

public class WordSegmenterTests
{
    // 物业 and 漏水 recur together; 的 recurs everywhere, so 的物 is frequent but not cohesive.
    private static readonly string[] Texts =
    [
        "物业不管漏水", "楼上漏水物业", "物业的态度", "漏水的问题", "物业收费", "漏水严重",
        "的的的的", "我的家", "他的车", "物业漏水", "天花板漏水", "找物业",
    ];

    [Test]
    public void Frequent_cohesive_strings_become_words_and_text_is_cut_by_longest_match()
    {
        var segmenter = WordSegmenter.Learn(Texts, minCount: 3, minPmi: 1.0);
        Assert.That(segmenter.Segment("物业不管漏水，天花板"), Is.EqualTo(new[] { "物业", "不", "管", "漏水", "天", "花", "板" }));
    }

    [Test]
    public void A_string_whose_halves_are_common_alone_is_not_a_word()
    {
        var segmenter = WordSegmenter.Learn(Texts, minCount: 3, minPmi: 1.0);
        Assert.That(segmenter.Segment("的物业"), Is.EqualTo(new[] { "的", "物业" }));
        Assert.That(segmenter.Segment("的的"), Is.EqualTo(new[] { "的", "的" }));
    }

    [Test]
    public void Word_keys_are_in_their_own_namespace_and_never_span_punctuation()
    {
        var segmenter = new WordSegmenter([WordSegmenter.Key("物业"), WordSegmenter.Key("业漏")]);
        var keys = new ulong[2];
        var n = segmenter.AppendWordKeys("物业，漏水", ref keys, 0);
        Assert.That(n, Is.EqualTo(1), "物业 only: 业漏 would cross the comma");
        Assert.That(keys[0] >> 48, Is.EqualTo(10UL), "length 2 + 8");
        Assert.That(keys[0] & 0xFFFFFFFFFFFFUL, Is.EqualTo(WordSegmenter.Key("物业") & 0xFFFFFFFFFFFFUL));
    }

    [Test]
    public void A_model_with_word_features_refuses_to_be_saved()
    {
        var space = NgramFeatureSpace.Fit(Texts, minimumMessages: 1, words: WordSegmenter.Learn(Texts, minCount: 3, minPmi: 1.0));
        var model = new LinearCategoryModel(["a"], space, [new LinearHead("t", new float[space.Count], [0f], 1f)]);
        Assert.That(() => model.Save(Path.Combine(Path.GetTempPath(), $"intake-words-{Guid.NewGuid():N}.zip")),
            Throws.TypeOf<NotSupportedException>().With.Message.Contains("segmenter"));
    }
}
