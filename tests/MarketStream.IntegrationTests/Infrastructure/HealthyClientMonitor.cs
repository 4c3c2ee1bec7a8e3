using System.Diagnostics;
using MarketStream.Protocol;

namespace MarketStream.IntegrationTests.Infrastructure;

/// <summary>
/// A well-behaved client that reads a busy full-mode stream in the background while a test attacks
/// the server, recording when every update arrived. <see cref="AssertUnaffectedSinceAsync"/> checks
/// the two things a healthy client relies on: nothing lost (per symbol, each Update is seq = last + 1
/// and each Merged covers exactly the next range — docs/protocol.md §2.4) and no stall (the longest
/// gap between updates stays under a bound).
/// </summary>
public sealed class HealthyClientMonitor : IAsyncDisposable
{
    /// <summary>
    /// Loose enough for a noisy shared 2-core machine (the synthetic feed delivers an update every
    /// millisecond or so), tight enough that a server stalled by an attack fails it.
    /// </summary>
    public static readonly TimeSpan DefaultMaxGap = TimeSpan.FromMilliseconds(500);

    private readonly ProtocolClient _client;
    private readonly List<long> _arrivals = [];
    private readonly Dictionary<int, long> _last = [];
    private readonly List<string> _violations = [];
    private readonly Lock _sync = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _updates;
    private int _resets;
    private Exception? _failure;

    private HealthyClientMonitor(ProtocolClient client) => _client = client;

    /// <summary>Updates received so far.</summary>
    public long Updates => Interlocked.Read(ref _updates);

    /// <summary>Reset messages received so far (an epoch change or lost history, docs/protocol.md §4.14).</summary>
    public int Resets => Volatile.Read(ref _resets);

    /// <summary>Last sequence seen per symbol id.</summary>
    public long LastSeq(int symbolId)
    {
        lock (_sync)
        {
            return _last.GetValueOrDefault(symbolId);
        }
    }

    /// <summary>Connects (subprotocols may carry a token), subscribes full mode to <paramref name="symbols"/>, and starts reading.</summary>
    public static async Task<HealthyClientMonitor> StartAsync(Uri uri, IEnumerable<string>? subprotocols = null, params string[] symbols)
    {
        var client = await ProtocolClient.ConnectAsync(uri, subprotocols);
        await client.ExpectAsync<WelcomeMessage>();
        await client.SendAsync(new SubscribeRequest(1, symbols.Length == 0 ? ["*"] : symbols, SubscriptionMode.Full, 0, 0, []));
        var answer = await client.NextAsync(static m => m.Body is SubscribeAckMessage or ErrorMessage);
        Assert.IsType<SubscribeAckMessage>(answer.Body);
        var monitor = new HealthyClientMonitor(client);
        monitor._loop = Task.Run(monitor.ReadLoopAsync);
        await monitor.WaitForUpdatesAsync(20);
        return monitor;
    }

    public static long Now => Stopwatch.GetTimestamp();

    /// <summary>
    /// Waits for an update after this call (so the window includes the server's state after the attack),
    /// then asserts: no violation of §2.4 so far, the reader still runs, and no gap between updates
    /// since <paramref name="since"/> (a <see cref="Now"/> taken before the attack) longer than <paramref name="maxGap"/>.
    /// </summary>
    public async Task AssertUnaffectedSinceAsync(long since, TimeSpan? maxGap = null)
    {
        var bound = maxGap ?? DefaultMaxGap;
        var end = Now;
        var deadline = DateTime.UtcNow + bound + TimeSpan.FromSeconds(2);
        while (LastArrival() <= end && DateTime.UtcNow < deadline && _failure is null)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        lock (_sync)
        {
            Assert.True(_failure is null, $"healthy client's reader failed: {_failure}");
            Assert.True(_violations.Count == 0, "healthy client saw: " + string.Join("; ", _violations.Take(5)));
            var previous = since;
            var maxSeen = TimeSpan.Zero;
            var inWindow = 0;
            foreach (var at in _arrivals)
            {
                if (at < since)
                {
                    continue;
                }

                inWindow++;
                var gap = Stopwatch.GetElapsedTime(previous, at);
                maxSeen = gap > maxSeen ? gap : maxSeen;
                previous = at;
                if (at > end)
                {
                    break;
                }
            }

            Assert.True(inWindow > 0 && previous > end, $"healthy client received no update within {bound.TotalMilliseconds + 2000} ms after the attack");
            Assert.True(maxSeen < bound, $"healthy client waited {maxSeen.TotalMilliseconds:F0} ms for an update (bound {bound.TotalMilliseconds} ms)");
        }
    }

    /// <summary>Longest gap between consecutive updates since <paramref name="since"/>.</summary>
    public TimeSpan MaxGapSince(long since)
    {
        lock (_sync)
        {
            var previous = since;
            var max = TimeSpan.Zero;
            foreach (var at in _arrivals)
            {
                if (at < since)
                {
                    continue;
                }

                var gap = Stopwatch.GetElapsedTime(previous, at);
                max = gap > max ? gap : max;
                previous = at;
            }

            return max;
        }
    }

    private long LastArrival()
    {
        lock (_sync)
        {
            return _arrivals.Count == 0 ? 0 : _arrivals[^1];
        }
    }

    private async Task WaitForUpdatesAsync(long count)
    {
        var deadline = DateTime.UtcNow + ProtocolClient.DefaultTimeout;
        while (Updates < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"healthy client got only {Updates} updates");
            Assert.True(_failure is null, $"healthy client's reader failed: {_failure}");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var message = await _client.NextAsync(TimeSpan.FromSeconds(30));
                Record(message);
            }
        }
        catch (Exception ex) when (_stop.IsCancellationRequested && ex is OperationCanceledException or InvalidOperationException or System.Net.WebSockets.WebSocketException)
        {
            // Disposed.
        }
        catch (Exception ex)
        {
            _failure = ex;
        }
    }

    private void Record(ServerMessage message)
    {
        var at = Now;
        lock (_sync)
        {
            switch (message.Body)
            {
                case SnapshotMessage s:
                    _last[s.Symbol.Id] = s.State.Seq;
                    return;
                case ResetMessage r:
                    _last[r.Symbol.Id] = r.State.Seq;
                    _resets++;
                    return;
                case NoticeMessage n:
                    _violations.Add($"notice {n.Code}: {n.Text}");
                    return;
            }

            if (message.Type == MessageType.Update)
            {
                var u = message.Update;
                Check(u.SymbolId, u.Seq, u.Seq);
            }
            else if (message.Type == MessageType.Merged)
            {
                var g = message.Merged;
                Check(g.SymbolId, g.FirstSeq, g.LastSeq);
                if (g.Count != g.LastSeq - g.FirstSeq + 1)
                {
                    _violations.Add($"symbol {g.SymbolId}: merged {g.FirstSeq}..{g.LastSeq} counts {g.Count}");
                }
            }
            else
            {
                return;
            }

            _arrivals.Add(at);
            _updates++;
        }
    }

    private void Check(int symbolId, long first, long last)
    {
        if (!_last.TryGetValue(symbolId, out var previous))
        {
            _violations.Add($"symbol {symbolId}: update before its snapshot");
        }
        else if (first != previous + 1)
        {
            _violations.Add($"symbol {symbolId}: seq {first} after {previous}");
        }

        _last[symbolId] = last;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _client.DisposeAsync();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Reader ends with the socket.
        }

        _stop.Dispose();
    }
}
