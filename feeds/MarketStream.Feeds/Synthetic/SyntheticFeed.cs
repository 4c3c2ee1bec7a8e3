using System.Diagnostics;
using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Hosting;
using MarketStream.Feeds.Symbols;
using MarketStream.Model;

namespace MarketStream.Feeds.Synthetic;

/// <summary>
/// The synthetic feed: quotes and trades from a seeded random walk (docs/feeds.md §Synthetic feed),
/// paced by the clock at <see cref="SyntheticFeedOptions.Rate"/> or unpaced. Ticks are written
/// straight into claimed ring slots. A restart continues the same random stream.
/// </summary>
public sealed class SyntheticFeed : FeedHandler
{
    private readonly SyntheticFeedOptions _options;
    private readonly SyntheticModel _model;
    private long _total;
    private bool _clockSet;
    private volatile bool _waitingToStart;

    /// <summary>Creates a synthetic feed over <paramref name="universe"/>.</summary>
    public SyntheticFeed(string name, SymbolUniverse universe, SyntheticFeedOptions options)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(universe);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var seed = options.Seed is { } s ? (ulong)(uint)s : (ulong)Stopwatch.GetTimestamp();
        _model = new SyntheticModel(universe, options, seed);
        _waitingToStart = options.StartDelay > TimeSpan.Zero;
        if (options.StartTime is { } start)
        {
            _model.TimeNs = UnixNanos.From(start);
            _clockSet = true;
        }
    }

    /// <summary>Ticks generated so far, across restarts.</summary>
    public long Generated => Volatile.Read(ref _total);

    internal SyntheticModel Model => _model;

    /// <summary>
    /// Flow is expected once the <see cref="SyntheticFeedOptions.StartDelay"/> is over: a feed waiting
    /// it out is scheduled, not stalled; one whose first claim then blocks is stalled like any other.
    /// </summary>
    public override bool ExpectsContinuousFlow => !_waitingToStart;

    /// <inheritdoc />
    protected internal override void Run(TickPublisher publisher, int restart, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        if (_waitingToStart)
        {
            if (stop.WaitHandle.WaitOne(_options.StartDelay))
            {
                return;
            }

            // Silence counts from the end of the delay; the clock first, so the supervisor never pairs
            // "flow expected" with the publisher's creation time.
            publisher.RestartSilenceClock();
            _waitingToStart = false;
        }

        if (!_clockSet)
        {
            _model.TimeNs = TickPublisher.NowNs();
            _clockSet = true;
        }

        var model = _model;
        var batch = _options.BatchSize;
        var maxTicks = _options.MaxTicks;
        var rate = _options.Rate;
        var ticksPerTimestamp = rate / Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        long produced = 0;

        while (!stop.IsCancellationRequested)
        {
            var n = batch;
            if (maxTicks > 0)
            {
                var remaining = maxTicks - _total;
                if (remaining <= 0)
                {
                    return;
                }

                n = (int)Math.Min(n, remaining);
            }

            var opening = model.OpeningQuotesLeft;
            if (opening > 0)
            {
                // The opening quotes go out as fast as the ring takes them; pacing starts after.
                n = Math.Min(n, opening);
            }
            else if (rate > 0)
            {
                var now = Stopwatch.GetTimestamp();

                // Tick k (from 0) falls due k/rate seconds after the start.
                var due = (long)((now - start) * ticksPerTimestamp) + 1 - produced;
                if (due <= 0)
                {
                    Pacing.WaitUntil(start + (long)(produced / ticksPerTimestamp), stop);
                    continue;
                }

                if (due > Math.Max(rate, batch))
                {
                    // More than a second behind (a full ring, a paused process): re-anchor rather
                    // than flood the pipeline to catch up.
                    start = now - (long)(produced / ticksPerTimestamp);
                    due = 1;
                }

                n = (int)Math.Min(n, due);
            }

            var got = publisher.Claim(n, stop, out var low);
            if (got == 0)
            {
                return;
            }

            var receive = TickPublisher.NowNs();
            for (var i = 0; i < got; i++)
            {
                model.Next(ref publisher[low + i], receive);
            }

            publisher.Publish(low, got);
            if (opening > 0)
            {
                start = Stopwatch.GetTimestamp();
            }
            else
            {
                produced += got;
            }

            Volatile.Write(ref _total, _total + got);
        }
    }
}
