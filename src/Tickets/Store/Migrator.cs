using System.Data.Common;
using System.Reflection;
using Dapper;

namespace Telephony.Tickets.Store;

/// <summary>One versioned schema change: <c>Store/Migrations/&lt;dialect&gt;/NNNN_name.sql</c>, embedded in the assembly.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// Applies the dialect's pending migrations in version order, each in its own transaction with its row in
/// <c>schema_migrations</c>, so a failed step leaves the schema at the previous version. Run by the
/// <c>migrate</c> command and (unless <c>Database:MigrateOnStart</c> is false) when <c>serve</c> starts.
/// One migrator at a time: run <c>migrate</c> before starting several nodes on a shared database.
/// </summary>
public sealed class Migrator(ISqlDialect dialect, string connectionString, TimeProvider time)
{
    public const string SelectApplied = "SELECT version FROM schema_migrations ORDER BY version";
    public const string InsertApplied = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)";

    public static IReadOnlyList<Migration> For(ISqlDialect dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"migrations/{dialect.Name}/";
        return assembly.GetManifestResourceNames()
            .Select(n => n.Replace('\\', '/'))
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n, prefix))
            .OrderBy(m => m.Version)
            .ToList();
    }

    private static Migration Load(Assembly assembly, string resource, string prefix)
    {
        var file = resource[prefix.Length..^4];
        var cut = file.IndexOf('_');
        if (cut <= 0 || !int.TryParse(file[..cut], out var version))
            throw new InvalidOperationException($"Migration {resource} is not named NNNN_name.sql");
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? assembly.GetManifestResourceStream(resource.Replace('/', '\\'))
            ?? throw new InvalidOperationException($"Migration {resource} is missing from the assembly");
        using var reader = new StreamReader(stream);
        return new Migration(version, file[(cut + 1)..], reader.ReadToEnd());
    }

    public async Task<IReadOnlyList<int>> AppliedAsync(CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(connectionString, cancel);
        await connection.ExecuteAsync(dialect.CreateMigrationsTable);
        return (await connection.QueryAsync<int>(SelectApplied)).ToList();
    }

    /// <summary>Applies what is pending; returns the migrations applied by this call (empty when up to date).</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancel = default)
    {
        await using var connection = await dialect.OpenAsync(connectionString, cancel);
        if (dialect.BeforeMigrations is { } before) await connection.ExecuteAsync(before);
        await connection.ExecuteAsync(dialect.CreateMigrationsTable);
        var applied = (await connection.QueryAsync<int>(SelectApplied)).ToHashSet();
        var done = new List<Migration>();
        foreach (var migration in For(dialect).Where(m => !applied.Contains(m.Version)))
        {
            await using DbTransaction transaction = await connection.BeginTransactionAsync(cancel);
            await connection.ExecuteAsync(migration.Sql, transaction: transaction);
            await connection.ExecuteAsync(
                InsertApplied,
                new { migration.Version, migration.Name, At = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction);
            await transaction.CommitAsync(cancel);
            done.Add(migration);
        }
        return done;
    }
}
