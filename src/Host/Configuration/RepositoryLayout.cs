namespace Telephony.Host.Configuration;

/// <summary>
/// Where the repository and the shared folder (models, data sets) are. Relative paths in the
/// configuration are resolved against <see cref="Root"/>, so the host runs the same from
/// <c>dotnet run</c>, from a published folder, or from a test.
/// </summary>
public static class RepositoryLayout
{
    /// <summary><c>$TELEPHONY_ROOT</c>, else the nearest folder above the binaries that holds <c>Telephony.sln</c>, else the working directory.</summary>
    public static string Root { get; } = FindRoot();

    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Root, path));

    /// <summary><c>$TELEPHONY_SHARED</c>, else <c>../shared</c> beside the repository.</summary>
    public static string Shared =>
        Environment.GetEnvironmentVariable("TELEPHONY_SHARED") is { Length: > 0 } s ? s : Resolve("../shared");

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("TELEPHONY_ROOT") is { Length: > 0 } root) return Path.GetFullPath(root);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Telephony.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
