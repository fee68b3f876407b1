using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text.Json;

namespace Telephony.Testing;

/// <summary>
/// A client of baresip's ctrl_tcp module: netstring-framed JSON over one TCP connection. Commands are
/// matched to their responses by token; events are kept in arrival order so a test can wait for them.
/// </summary>
internal sealed class BaresipControl : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<BaresipResponse>> _pending = new();
    private readonly List<BaresipEvent> _events = [];
    private readonly List<bool> _taken = [];
    private TaskCompletionSource _arrived = NewSignal();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private int _nextToken;

    private BaresipControl(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = Task.Run(ReadLoopAsync);
    }

    public bool Closed { get; private set; }

    public IReadOnlyList<BaresipEvent> Events { get { lock (_events) return [.. _events]; } }

    /// <summary>Connects once; null when nothing listens yet (baresip still starting).</summary>
    public static async Task<BaresipControl?> TryConnectAsync(int port)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return new BaresipControl(client);
        }
        catch (SocketException)
        {
            client.Dispose();
            return null;
        }
    }

    public async Task<BaresipResponse> SendAsync(string command, string? parameters, TimeSpan timeout)
    {
        var token = $"t{Interlocked.Increment(ref _nextToken)}";
        var reply = new TaskCompletionSource<BaresipResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[token] = reply;
        var message = new Dictionary<string, string> { ["command"] = command, ["token"] = token };
        if (parameters is not null) message["params"] = parameters;
        await _writeGate.WaitAsync();
        try
        {
            await _stream.WriteAsync(Netstring.Encode(JsonSerializer.Serialize(message)));
        }
        finally
        {
            _writeGate.Release();
        }
        try
        {
            return await reply.Task.WaitAsync(timeout);
        }
        finally
        {
            _pending.TryRemove(token, out _);
        }
    }

    /// <summary>
    /// The first event matching <paramref name="match"/> not taken by an earlier call, waiting up to
    /// <paramref name="timeout"/> for it; null on timeout or when the connection closed.
    /// </summary>
    public async Task<BaresipEvent?> TryTakeEventAsync(Func<BaresipEvent, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task arrived;
            lock (_events)
            {
                for (var i = 0; i < _events.Count; i++)
                {
                    if (_taken[i] || !match(_events[i])) continue;
                    _taken[i] = true;
                    return _events[i];
                }
                if (Closed) return null;
                arrived = _arrived.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return null;
            await Task.WhenAny(arrived, Task.Delay(left));
        }
    }

    private async Task ReadLoopAsync()
    {
        var decoder = new Netstring();
        var buffer = new byte[64 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = await _stream.ReadAsync(buffer, _stop.Token);
                if (n == 0) break;
                foreach (var payload in decoder.Feed(buffer.AsSpan(0, n))) Dispatch(payload);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // baresip stopped, or we did
        }
        finally
        {
            lock (_events)
            {
                Closed = true;
                _arrived.TrySetResult();
            }
            foreach (var reply in _pending.Values) reply.TrySetException(new IOException("baresip closed the control connection"));
        }
    }

    private void Dispatch(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("response", out _))
        {
            var token = BaresipEvent.Text(root, "token");
            var ok = root.TryGetProperty("ok", out var okValue) && okValue.ValueKind == JsonValueKind.True;
            if (token is not null && _pending.TryGetValue(token, out var reply))
                reply.TrySetResult(new BaresipResponse(ok, BaresipEvent.Text(root, "data") ?? ""));
        }
        else if (root.TryGetProperty("event", out _))
        {
            lock (_events)
            {
                _events.Add(BaresipEvent.From(root, json));
                _taken.Add(false);
                // Wake every waiter; each looks for its own event again.
                _arrived.TrySetResult();
                _arrived = NewSignal();
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        _stop.Cancel();
        _client.Dispose();
        try
        {
            _reader.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // the loop ends on the closed socket
        }
        _stop.Dispose();
        _writeGate.Dispose();
    }
}
