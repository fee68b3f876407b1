namespace Telephony.EndToEnd.Peers;

/// <summary>Peer configuration files shipped beside these tests (tests/EndToEnd/Peers/*.cfg, copied to the output).</summary>
internal static class PeerConfigs
{
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "Peers", file);

    /// <summary>Kamailio as a digest-authenticating registrar; every user's password is <see cref="RegistrarPassword"/>.</summary>
    public static string KamailioRegistrar => Path("kamailio-registrar.cfg");

    public const string RegistrarPassword = "secret";

    public static IReadOnlyDictionary<string, string?> RegistrarDefines =>
        new Dictionary<string, string?> { ["REG_PASSWORD"] = $"\"{RegistrarPassword}\"" };
}
