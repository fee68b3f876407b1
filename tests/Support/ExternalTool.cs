namespace Telephony.Testing;

/// <summary>Finds programs the tests drive (sipp, baresip, espeak-ng, ...).</summary>
public static class ExternalTool
{
    /// <summary>The full path of <paramref name="name"/> on PATH; fails the test saying which Debian package to install.</summary>
    public static string Require(string name, string debianPackage)
    {
        var found = Find(name);
        if (found is null) Assert.Fail($"'{name}' is not installed: run ./hotline setup (or apt-get install {debianPackage}).");
        return found!;
    }

    public static string? Find(string name)
    {
        if (Path.IsPathRooted(name)) return File.Exists(name) ? name : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
