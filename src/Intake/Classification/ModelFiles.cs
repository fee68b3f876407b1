namespace Telephony.Intake.Classification;

/// <summary>Where the trained classifier lives: the ML.NET zip (<c>Intake:Model</c>) and its JSON card beside it.</summary>
public sealed record ModelFiles(string Model)
{
    public const string DefaultPath = "models/intake-classifier.zip";
    public string Card => Path.ChangeExtension(Model, ".json");
    public string Directory => Path.GetDirectoryName(Path.GetFullPath(Model))!;
    public bool Exist => File.Exists(Model) && File.Exists(Card);
}
