namespace Telephony.Testing;

/// <summary>
/// A throwaway PostgreSQL server for one test fixture: initdb and pg_ctl in a scratch directory, listening on
/// 127.0.0.1 only (and a Unix socket in that directory), with fsync and synchronous_commit off because the data
/// dies with the test. As root the server runs as the <c>postgres</c> user (PostgreSQL refuses root).
/// <see cref="DisposeAsync"/> stops it (fast shutdown) and removes the directory, even after a failed test.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string User = "app";

    private readonly string _bin;
    private readonly string _directory;
    private bool _started;

    public int Port { get; }
    public string Database { get; }

    /// <summary>An Npgsql connection string to <see cref="Database"/>.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username={User};Database={Database};Pooling=true;Maximum Pool Size=40";

    private PostgresServer(string bin, string directory, int port, string database)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
        Database = database;
    }

    /// <summary>The newest installed server's bin folder; fails the test saying what to install.</summary>
    public static string RequireBin()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (bin is null) Assert.Fail("PostgreSQL is not installed: run ./hotline setup (or apt-get install postgresql).");
        return bin!;
    }

    public static async Task<PostgresServer> StartAsync(string database = "hotline")
    {
        var bin = RequireBin();
        var directory = RepositoryPaths.NewScratchDirectory("pg");
        var server = new PostgresServer(bin, directory, FreePorts.Next(), database);
        try
        {
            await server.StartCoreAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private async Task StartCoreAsync()
    {
        if (IsRoot) await RunAsync("chown", ["postgres:postgres", _directory], TimeSpan.FromSeconds(10));
        var data = Path.Combine(_directory, "data");
        await RunPgAsync("initdb", ["-D", data, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], TimeSpan.FromSeconds(60));
        var options = $"-c listen_addresses=127.0.0.1 -p {Port} -k {_directory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100";
        await RunPgAsync("pg_ctl", ["-D", data, "-l", Path.Combine(_directory, "pg.log"), "-w", "-t", "30", "-o", options, "start"], TimeSpan.FromSeconds(40));
        _started = true;
        await RunPgAsync("createdb", ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", User, Database], TimeSpan.FromSeconds(20));
    }

    /// <summary>Creates another database on this server (for a test that wants an empty one).</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await RunPgAsync("createdb", ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", User, name], TimeSpan.FromSeconds(20));
        return $"Host=127.0.0.1;Port={Port};Username={User};Database={name};Pooling=true;Maximum Pool Size=40";
    }

    private Task RunPgAsync(string tool, string[] arguments, TimeSpan timeout)
    {
        var path = Path.Combine(_bin, tool);
        return IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], timeout)
            : RunAsync(path, arguments, timeout);
    }

    private async Task RunAsync(string file, string[] arguments, TimeSpan timeout)
    {
        using var process = PeerProcess.Start(file, arguments, _directory);
        var code = await process.WaitForExitAsync(timeout);
        if (code != 0)
        {
            var log = Path.Combine(_directory, "pg.log");
            var serverLog = File.Exists(log) ? TextTail.Of(await File.ReadAllTextAsync(log), 4000) : "";
            Assert.Fail($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited {code}:\n{process.Output}\n{serverLog}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_started)
                await RunPgAsync("pg_ctl", ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "-t", "20", "stop"], TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            TestContext.Progress.WriteLine($"PostgreSQL stop failed: {e.Message}");
        }
        finally
        {
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
