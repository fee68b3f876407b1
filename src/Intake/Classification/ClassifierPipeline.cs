using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms.Text;

namespace Telephony.Intake.Classification;

/// <summary>
/// Featurization and trainers. Chinese has no spaces, so the features are character n-grams of length
/// 1–3 with TF-IDF weighting, L2-normalised (a bag of characters, bigrams and trigrams: most Chinese words
/// are one to three characters, so the n-grams cover the words without a segmenter).
/// </summary>
public static class ClassifierPipeline
{
    public const string LabelKey = "Label";
    public const string Features = "Features";

    /// <summary>N-grams seen in fewer messages than this are dropped: they are mostly names and typos, and
    /// keeping them tripled the weights without helping (dev macro-F1 0.836 → 0.899 with SDCA, docs/intake.md).</summary>
    public const int MinimumNgramCount = 3;
    private const string AllNgrams = "AllNgrams";

    public static IEstimator<ITransformer> Featurizer(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey(LabelKey, nameof(ClassifierRow.Category))
            .Append(ml.Transforms.Text.FeaturizeText(AllNgrams, new TextFeaturizingEstimator.Options
            {
                CaseMode = TextNormalizingEstimator.CaseMode.Lower,
                KeepDiacritics = false,
                KeepPunctuations = false,
                KeepNumbers = true,
                WordFeatureExtractor = null,
                CharFeatureExtractor = new WordBagEstimator.Options
                {
                    NgramLength = 3,
                    UseAllLengths = true,
                    Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
                },
                Norm = TextFeaturizingEstimator.NormFunction.L2,
            }, nameof(ClassifierRow.Text)))
            .Append(ml.Transforms.FeatureSelection.SelectFeaturesBasedOnCount(Features, AllNgrams, count: MinimumNgramCount));

    public static IEstimator<ITransformer> Trainer(MLContext ml, TrainerKind kind)
    {
        var mc = ml.MulticlassClassification.Trainers;
        var bin = ml.BinaryClassification.Trainers;
        return kind switch
        {
            TrainerKind.Sdca => mc.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelKey, FeatureColumnName = Features,
                L2Regularization = 1e-5f, MaximumNumberOfIterations = 50,
            }),
            TrainerKind.Lbfgs => mc.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelKey, FeatureColumnName = Features,
                L1Regularization = 0f, L2Regularization = 1e-3f, MaximumNumberOfIterations = 200,
            }),
            TrainerKind.Perceptron => mc.OneVersusAll(
                bin.AveragedPerceptron(new AveragedPerceptronTrainer.Options
                {
                    LabelColumnName = LabelKey, FeatureColumnName = Features, NumberOfIterations = 10,
                }), labelColumnName: LabelKey),
            TrainerKind.Svm => mc.OneVersusAll(
                bin.LinearSvm(new LinearSvmTrainer.Options
                {
                    LabelColumnName = LabelKey, FeatureColumnName = Features, NumberOfIterations = 20,
                }), labelColumnName: LabelKey),
            TrainerKind.LightGbm =>
                // Trees spend their time on histograms of rare n-grams: keep those seen in at least 20 messages.
                ml.Transforms.FeatureSelection.SelectFeaturesBasedOnCount(Features, count: 20)
                    .Append(mc.LightGbm(new LightGbmMulticlassTrainer.Options
                    {
                        LabelColumnName = LabelKey, FeatureColumnName = Features,
                        NumberOfIterations = 100, NumberOfLeaves = 31, LearningRate = 0.1,
                        MinimumExampleCountPerLeaf = 10, NumberOfThreads = 2,
                    })),
            TrainerKind.NaiveBayes => mc.NaiveBayes(LabelKey, Features),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown trainer"),
        };
    }

    public static IEstimator<ITransformer> Full(MLContext ml, TrainerKind kind) =>
        Featurizer(ml)
            .Append(Trainer(ml, kind))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
}
