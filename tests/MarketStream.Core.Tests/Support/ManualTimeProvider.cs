namespace MarketStream.Core.Tests.Support;

/// <summary>
/// A clock that moves only when told to, with timers that fire on <see cref="Advance"/> and never inside
/// <see cref="ITimer.Change"/>. FakeTimeProvider runs a callback that is already due synchronously in
/// Change, which no system timer does; the session outbox arms its timer under its gate and the
/// callback takes that gate, so under FakeTimeProvider the engine tests would deadlock on themselves.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly DateTimeOffset _start = new(2026, 1, 5, 9, 30, 0, TimeSpan.Zero);
    private long _nanos = 1_000_000_000;

    public override long TimestampFrequency => 1_000_000_000;

    public override long GetTimestamp() => Volatile.Read(ref _nanos);

    public override DateTimeOffset GetUtcNow() => _start.AddTicks(Volatile.Read(ref _nanos) / 100);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        Interlocked.Add(ref _nanos, by.Ticks * 100);
        List<ManualTimer> due;
        lock (_lock)
        {
            due = _timers.Where(t => t.DueNs is { } d && d <= _nanos).ToList();
            foreach (var timer in due)
            {
                timer.DueNs = null;
            }
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? DueNs { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                DueNs = dueTime == Timeout.InfiniteTimeSpan ? null : owner._nanos + (dueTime.Ticks * 100);
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._lock)
            {
                DueNs = null;
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
