using MarketStream.LoadTest.Targets;

namespace MarketStream.LoadTest.Clients;

/// <summary>How a stalled client misbehaves while a stall is on.</summary>
internal enum StallMode
{
    /// <summary>Stops reading the socket altogether (TCP windows fill, the server must hold or conflate).</summary>
    Stop,

    /// <summary>Keeps reading but sleeps after every WebSocket message (or every SignalR message).</summary>
    Slow,
}

/// <summary>
/// Shared by the clients chosen to stall: the scenario turns the stall on and off; each such client
/// checks it before every read.
/// </summary>
internal sealed class StallControl(StallMode mode, TimeSpan slowReadDelay, LoopbackConnector? connector = null)
{
    private volatile TaskCompletionSource? _stall;

    public StallMode Mode { get; } = mode;

    /// <summary>How stalled clients connect when it differs from the others (e.g. a small receive buffer); null: as the others.</summary>
    public LoopbackConnector? Connector { get; } = connector;

    public TimeSpan SlowReadDelay { get; } = slowReadDelay;

    public bool IsActive => _stall is { Task.IsCompleted: false };

    /// <summary>Completes when the current stall ends (at once when none is on).</summary>
    public Task Ended => _stall?.Task ?? Task.CompletedTask;

    public void Begin() => _stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void End() => _stall?.TrySetResult();

    /// <summary>What a client does before its next read: nothing, wait for the stall to end, or sleep a slow reader's delay.</summary>
    public Task BeforeReadAsync(CancellationToken ct)
    {
        if (!IsActive)
        {
            return Task.CompletedTask;
        }

        return Mode == StallMode.Stop ? Ended.WaitAsync(ct) : Task.Delay(SlowReadDelay, ct);
    }
}
