namespace Telephony.Speech.Models;

/// <summary>
/// Where Whisper and VAD models are found, in order: <c>$TELEPHONY_MODELS</c>, the shared folder's
/// <c>models/</c> (<c>$TELEPHONY_SHARED</c> or <c>../shared</c> beside the repository), then the
/// repository's <c>models/</c> (where the setup's optional download puts them).
/// </summary>
public static class ModelLocator
{
    /// <summary>Trained multilingual models the hotline can use, best first for two cores.</summary>
    public static readonly string[] TrainedModelNames = ["ggml-base.bin", "ggml-small.bin", "ggml-base-q8_0.bin", "ggml-tiny.bin"];

    public const string HowToGetAModel =
        "no trained Whisper model found: put ggml-base.bin (147951465 bytes, SHA-256 60ed5bc3…2efe, from " +
        "https://huggingface.co/ggerganov/whisper.cpp) in $TELEPHONY_MODELS, ../shared/models or models/, " +
        "or run TELEPHONY_DOWNLOAD_MODEL=base ./hotline setup on a connected machine";

    public static IReadOnlyList<string> SearchDirectories(string repositoryRoot)
    {
        var dirs = new List<string>();
        if (Environment.GetEnvironmentVariable("TELEPHONY_MODELS") is { Length: > 0 } models) dirs.Add(models);
        var shared = Environment.GetEnvironmentVariable("TELEPHONY_SHARED") is { Length: > 0 } s ? s : Path.Combine(repositoryRoot, "..", "shared");
        dirs.Add(Path.Combine(shared, "models"));
        dirs.Add(Path.Combine(repositoryRoot, "models"));
        return dirs.Select(Path.GetFullPath).ToList();
    }

    /// <summary>The first file named <paramref name="nameOrPath"/> in the search directories (an absolute path is taken as is), or null.</summary>
    public static string? Find(string nameOrPath, string repositoryRoot)
    {
        if (Path.IsPathRooted(nameOrPath)) return File.Exists(nameOrPath) ? nameOrPath : null;
        return SearchDirectories(repositoryRoot).Select(d => Path.Combine(d, nameOrPath)).FirstOrDefault(File.Exists);
    }

    /// <summary>The first trained Whisper model (one that passes validation and carries weights), or null.</summary>
    public static string? FindTrained(string repositoryRoot) =>
        SearchDirectories(repositoryRoot)
            .SelectMany(d => TrainedModelNames.Select(n => Path.Combine(d, n)))
            .FirstOrDefault(p => File.Exists(p) && WhisperModelFile.Inspect(p) is { IsValid: true, HasWeights: true });
}
