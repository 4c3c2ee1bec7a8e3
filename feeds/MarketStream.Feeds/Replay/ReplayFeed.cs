using MarketStream.Model;
using System.Diagnostics;
using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Hosting;
using MarketStream.Feeds.Symbols;
using MarketStream.Feeds.Validation;

namespace MarketStream.Feeds.Replay;

/// <summary>
/// Plays a tick file into the ring at recorded pace, at N× speed, or as fast as the ring accepts
/// (docs/feeds.md §Replay). Records are decoded and validated into a staging batch before any
/// slot is claimed: a claimed slot must be published, and untrusted input must not be able to
/// fail half-way through a claim. A restart resumes after the last record handled; a malformed
/// file faults the feed (replaying the same bytes would fail the same way).
/// </summary>
public sealed class ReplayFeed : FeedHandler
{
    private readonly SymbolUniverse _universe;
    private readonly ReplayFeedOptions _options;
    private readonly TickValidator _validator;
    private readonly Tick[] _staging;
    private long _recordsDone;
    private long _lapOffsetNs;
    private int _laps;

    /// <summary>Creates a replay feed for <see cref="ReplayFeedOptions.Path"/>.</summary>
    public ReplayFeed(string name, SymbolUniverse universe, ReplayFeedOptions options, TickValidationOptions? validation = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(universe);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw new ArgumentException("The replay feed needs a file path.", nameof(options));
        }

        _universe = universe;
        _options = options;
        _validator = new TickValidator(universe, validation);
        _staging = new Tick[Math.Clamp(options.BatchSize, 1, 65_536)];
    }

    /// <summary>At recorded pace silences are legitimate; only an unpaced replay should never go quiet.</summary>
    public override bool ExpectsContinuousFlow => _options.Speed == 0;

    /// <summary>Refusals per reason.</summary>
    public override TickRejectCounts Rejects => _validator.Counts;

    /// <summary>Times the file has been played to its end.</summary>
    public int Laps => Volatile.Read(ref _laps);

    /// <inheritdoc />
    protected internal override void Run(TickPublisher publisher, int restart, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        while (!stop.IsCancellationRequested)
        {
            var finished = PlayOnce(publisher, stop);
            if (!finished || !_options.Loop)
            {
                return;
            }

            Volatile.Write(ref _laps, _laps + 1);
            _recordsDone = 0;
        }
    }

    private bool PlayOnce(TickPublisher publisher, CancellationToken stop)
    {
        using var reader = TickFiles.OpenReader(_options.Path!, _options.Format, _universe);
        var staging = _staging;
        var pending = default(Tick);
        var havePending = false;

        // On a restart, skip what an earlier run already handled.
        for (long i = 0; i < _recordsDone; i++)
        {
            if (reader.Read(ref pending, out _) == TickReadStatus.End)
            {
                return true;
            }
        }

        var speed = _options.Speed;
        var nsPerTimestamp = 1e9 / Stopwatch.Frequency;
        long firstTime = 0;
        long lastTime = 0;
        var anchored = false;
        long startTimestamp = 0;

        while (!stop.IsCancellationRequested)
        {
            if (!havePending)
            {
                if (!ReadValid(reader, ref pending))
                {
                    _lapOffsetNs += Math.Max(0, lastTime - firstTime) + 1_000_000;
                    return true;
                }

                havePending = true;
            }

            if (!anchored)
            {
                firstTime = pending.ExchangeTimeNs;
                startTimestamp = Stopwatch.GetTimestamp();
                anchored = true;
            }

            if (speed > 0)
            {
                var due = DueTimestamp(pending.ExchangeTimeNs);
                if (Stopwatch.GetTimestamp() < due)
                {
                    Pacing.WaitUntil(due, stop);
                    continue;
                }
            }

            // Gather what is due now into one batch.
            var n = 0;
            staging[n++] = pending;
            havePending = false;
            while (n < staging.Length)
            {
                if (!ReadValid(reader, ref pending))
                {
                    break;
                }

                if (speed > 0 && Stopwatch.GetTimestamp() < DueTimestamp(pending.ExchangeTimeNs))
                {
                    havePending = true;
                    break;
                }

                staging[n++] = pending;
            }

            lastTime = Math.Max(lastTime, staging[n - 1].ExchangeTimeNs);
            if (!PublishBatch(publisher, staging, n, stop))
            {
                return false;
            }
        }

        return false;

        long DueTimestamp(long exchangeTimeNs)
        {
            var delta = exchangeTimeNs - firstTime;
            return delta <= 0 ? startTimestamp : startTimestamp + (long)(delta / speed / nsPerTimestamp);
        }
    }

    private bool PublishBatch(TickPublisher publisher, Tick[] staging, int count, CancellationToken stop)
    {
        var offset = 0;
        while (offset < count)
        {
            var got = publisher.Claim(count - offset, stop, out var low);
            if (got == 0)
            {
                return false;
            }

            var receive = TickPublisher.NowNs();
            var lapOffset = _lapOffsetNs;
            for (var i = 0; i < got; i++)
            {
                ref var slot = ref publisher[low + i];
                slot = staging[offset + i];
                slot.ReceiveTimeNs = receive;
                if (slot.ExchangeTimeNs != 0)
                {
                    slot.ExchangeTimeNs += lapOffset;
                }
            }

            publisher.Publish(low, got);
            offset += got;
            _recordsDone += got;
        }

        return true;
    }

    private bool ReadValid(ITickReader reader, ref Tick tick)
    {
        while (true)
        {
            var status = reader.Read(ref tick, out var reason);
            if (status == TickReadStatus.End)
            {
                return false;
            }

            if (status == TickReadStatus.Rejected)
            {
                _validator.Reject(reason);
                _recordsDone++;
                continue;
            }

            // Validate with the looped timestamps so ordering holds across laps.
            var original = tick.ExchangeTimeNs;
            if (original != 0)
            {
                tick.ExchangeTimeNs = original + _lapOffsetNs;
            }

            var verdict = _validator.Validate(in tick);
            tick.ExchangeTimeNs = original;
            if (verdict != IngestRejectCode.None)
            {
                _recordsDone++;
                continue;
            }

            return true;
        }
    }
}
