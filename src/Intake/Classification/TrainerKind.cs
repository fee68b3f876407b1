namespace Telephony.Intake.Classification;

/// <summary>The ML.NET trainers <c>train</c> compares (names as on the command line). All are linear, so the
/// trained weights run in <see cref="LinearCategoryModel"/> without ML.NET at prediction time.</summary>
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
    /// <summary>One-versus-all averaged perceptron on naive-Bayes log-count-ratio scaled features (NB-SVM, Wang and Manning 2012).</summary>
    NbPerceptron,
    /// <summary>One-versus-all linear SVM on naive-Bayes log-count-ratio scaled features.</summary>
    NbSvm,
    /// <summary>What setup trains (intake-4; intake-5 with temperatures on held-out margins): our dual-coordinate SVM on plain and on NB-scaled features, their
    /// probabilities averaged (5-fold CV on train.csv 0.9227 against 0.9205 for <see cref="SdcaEnsemble"/>; docs/intake.md).</summary>
    Ensemble,
    /// <summary>Complement naive Bayes (Rennie et al. 2003) on the TF-IDF features: closed form, our own code.</summary>
    ComplementNb,
    /// <summary>One-versus-all squared-hinge linear SVM by dual coordinate descent, our own code (<see cref="DualCoordinateSvm"/>).</summary>
    DcdSvm,
    /// <summary>The same on naive-Bayes log-count-ratio scaled features.</summary>
    NbDcdSvm,
    /// <summary>SDCA maximum entropy and the NB-scaled perceptron, their probabilities averaged (the ensemble of intake-3).</summary>
    SdcaEnsemble,
}
