namespace Telephony.Intake.Classification;

/// <summary>The ML.NET multiclass trainers <c>train</c> compares (names as on the command line).</summary>
public enum TrainerKind
{
    /// <summary>SDCA maximum entropy (multinomial logistic regression), dual coordinate ascent.</summary>
    Sdca,
    /// <summary>L-BFGS maximum entropy (multinomial logistic regression).</summary>
    Lbfgs,
    /// <summary>One-versus-all averaged perceptron.</summary>
    Perceptron,
    /// <summary>One-versus-all linear SVM (Pegasos).</summary>
    Svm,
    /// <summary>LightGBM gradient-boosted trees over the count-selected n-grams.</summary>
    LightGbm,
    /// <summary>ML.NET's multiclass naive Bayes (binary features), a baseline.</summary>
    NaiveBayes,
}
