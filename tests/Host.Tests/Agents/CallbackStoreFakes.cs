using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Host.Agents;
using Telephony.Testing;
using Telephony.Tickets.Callbacks;
using Telephony.Tickets.Store;

namespace Telephony.Host.Tests.Agents;

/// <summary>The real callback store on a fresh, migrated SQLite file (deleted on dispose), and the call side's <see cref="CallbackRequests"/> over it.</summary>
internal sealed class SqliteCallbacks : IDisposable
{
    private readonly string _directory = RepositoryPaths.NewScratchDirectory("callbacks");

    public string ConnectionString { get; }
    public CallbackStore Store { get; }

    private SqliteCallbacks()
    {
        ConnectionString = $"Data Source={Path.Combine(_directory, "tickets.db")};Pooling=true";
        Store = new CallbackStore(new SqliteDialect(), ConnectionString);
    }

    public static async Task<SqliteCallbacks> StartAsync()
    {
        var db = new SqliteCallbacks();
        await new Migrator(new SqliteDialect(), db.ConnectionString, TimeProvider.System).MigrateAsync();
        return db;
    }

    public CallbackRequests Requests(ICallbackStore? over = null) => new(over ?? Store, TimeProvider.System, NullLogger<CallbackRequests>.Instance);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>A store whose every call fails as a database that went away does.</summary>
internal sealed class FailingCallbackStore : ICallbackStore
{
    public int Adds;

    private static Exception Down() => new SqliteException("disk I/O error (the test's database is down)", 10);

    public Task<bool> AddAsync(CallbackRequest request, CancellationToken cancel = default)
    {
        Interlocked.Increment(ref Adds);
        return Task.FromException<bool>(Down());
    }

    public Task<CallbackRequest?> GetAsync(string callId, CancellationToken cancel = default) => Task.FromException<CallbackRequest?>(Down());
    public Task<bool> MoveAsync(string callId, CallbackState from, CallbackState to, DateTimeOffset at, CancellationToken cancel = default) => Task.FromException<bool>(Down());
    public Task<bool> RetryLaterAsync(string callId, DateTimeOffset nextAttemptAt, DateTimeOffset at, CancellationToken cancel = default) => Task.FromException<bool>(Down());
    public Task<IReadOnlyList<CallbackRequest>> PendingAsync(CancellationToken cancel = default) => Task.FromException<IReadOnlyList<CallbackRequest>>(Down());
    public Task<int> ResetPlacingAsync(DateTimeOffset at, CancellationToken cancel = default) => Task.FromException<int>(Down());
}

/// <summary>The real store, with a look at the caller's call at the moment the request is written (before or after the confirmation?).</summary>
internal sealed class WatchedCallbackStore(ICallbackStore inner, Func<bool> confirmationPlayed) : ICallbackStore
{
    public bool? ConfirmationPlayedAtWrite { get; private set; }

    public async Task<bool> AddAsync(CallbackRequest request, CancellationToken cancel = default)
    {
        ConfirmationPlayedAtWrite = confirmationPlayed();
        return await inner.AddAsync(request, cancel);
    }

    public Task<CallbackRequest?> GetAsync(string callId, CancellationToken cancel = default) => inner.GetAsync(callId, cancel);
    public Task<bool> MoveAsync(string callId, CallbackState from, CallbackState to, DateTimeOffset at, CancellationToken cancel = default) => inner.MoveAsync(callId, from, to, at, cancel);
    public Task<bool> RetryLaterAsync(string callId, DateTimeOffset nextAttemptAt, DateTimeOffset at, CancellationToken cancel = default) =>
        inner.RetryLaterAsync(callId, nextAttemptAt, at, cancel);
    public Task<IReadOnlyList<CallbackRequest>> PendingAsync(CancellationToken cancel = default) => inner.PendingAsync(cancel);
    public Task<int> ResetPlacingAsync(DateTimeOffset at, CancellationToken cancel = default) => inner.ResetPlacingAsync(at, cancel);
}
