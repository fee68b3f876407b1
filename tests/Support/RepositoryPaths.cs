namespace Telephony.Testing;

/// <summary>Where tests find the repository, the shared folder (data sets, models) and scratch space.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>$TELEPHONY_SHARED</c>, else <c>../shared</c> beside the repository.</summary>
    public static string Shared =>
        Environment.GetEnvironmentVariable("TELEPHONY_SHARED") is { Length: > 0 } s ? s : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>A path under the shared folder; the test fails with a clear message when it is missing.</summary>
    public static string RequireShared(string relative)
    {
        var path = Path.Combine(Shared, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
            Assert.Fail($"Missing {path}: put the shared folder beside the repository or set TELEPHONY_SHARED.");
        return path;
    }

    /// <summary>A fresh directory under the system temp folder, removed by the caller (or left for post-mortem on failure).</summary>
    public static string NewScratchDirectory(string prefix)
    {
        // At most 48 characters: PostgreSQL's socket path must fit in 107 bytes. A short prefix is shorter.
        var name = $"telephony-{prefix}-{Guid.NewGuid():N}";
        var dir = Path.Combine(Path.GetTempPath(), name[..Math.Min(48, name.Length)]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Telephony.sln"))) return dir.FullName;
        throw new InvalidOperationException("Telephony.sln not found above " + AppContext.BaseDirectory);
    }
}
