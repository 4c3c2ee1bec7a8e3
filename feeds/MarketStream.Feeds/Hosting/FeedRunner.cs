using System.Diagnostics;
using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Validation;
using Microsoft.Extensions.Logging;

namespace MarketStream.Feeds.Hosting;

/// <summary>
/// Runs one handler on its dedicated thread: the restart loop with back-off, the state, and the
/// counters the monitor reads. An external publisher (ingest) has a runner without a handler.
/// </summary>
internal sealed class FeedRunner
{
    private readonly FeedSupervisorOptions _options;
    private readonly ILogger _logger;
    private Thread? _thread;
    private int _state;
    private long _errors;
    private long _restarts;
    private string? _lastError;

    // Touched by the monitor only.
    private long _rateCount;
    private long _rateTimestamp;
    private double _rate;
    private long _stalls;
    private bool _stalled;

    private readonly TickRejectCounts? _rejects;

    /// <param name="handler">The handler, or null for an external publisher.</param>
    /// <param name="publisher">Its publisher into the ring.</param>
    /// <param name="externalRejects">For an external publisher, where its producers count refused ticks (the handler's own counts otherwise).</param>
    /// <param name="options">Supervision settings.</param>
    /// <param name="logger">Where events are logged.</param>
    public FeedRunner(FeedHandler? handler, TickPublisher publisher, TickRejectCounts? externalRejects, FeedSupervisorOptions options, ILogger logger)
    {
        Handler = handler;
        _rejects = handler is null ? externalRejects : handler.Rejects;
        Publisher = publisher;
        _options = options;
        _logger = logger;
    }

    private static readonly IReadOnlyDictionary<string, long> EmptyRejects = new Dictionary<string, long>();

    public FeedHandler? Handler { get; }

    public TickPublisher Publisher { get; }

    public FeedState State => (FeedState)Volatile.Read(ref _state);

    public bool IsTerminal => State is FeedState.Completed or FeedState.Stopped or FeedState.Faulted;

    public void Start(CancellationToken stop)
    {
        _rateTimestamp = Stopwatch.GetTimestamp();
        SetState(FeedState.Running);
        if (Handler is null)
        {
            return;
        }

        _thread = new Thread(() => RunLoop(stop)) { IsBackground = true, Name = "feed-" + Handler.Name };
        _thread.Start();
    }

    public bool Join(TimeSpan timeout)
    {
        if (_thread is null)
        {
            SetState(FeedState.Stopped);
            return true;
        }

        return _thread.Join(timeout);
    }

    public void Monitor(long now)
    {
        var count = Publisher.Published;
        var elapsed = Stopwatch.GetElapsedTime(_rateTimestamp, now).TotalSeconds;
        if (elapsed > 0)
        {
            _rate = (count - _rateCount) / elapsed;
        }

        _rateCount = count;
        _rateTimestamp = now;

        var shouldFlow = Handler is { ExpectsContinuousFlow: true } && State == FeedState.Running;
        var silent = Stopwatch.GetElapsedTime(Publisher.LastPublishTimestamp, now);
        var stalled = shouldFlow && silent >= _options.StallTimeout;
        if (stalled && !_stalled)
        {
            _stalls++;
            FeedHost.Log.FeedStalled(_logger, Publisher.Name, silent.TotalSeconds, Publisher.IsWaitingForRoom);
        }
        else if (!stalled && _stalled)
        {
            FeedHost.Log.FeedResumed(_logger, Publisher.Name);
        }

        Volatile.Write(ref _stalled, stalled);
    }

    public FeedStatus Status() => new(
        Publisher.Name,
        State,
        Publisher.Published,
        Volatile.Read(ref _rate),
        _rejects?.Total ?? 0,
        _rejects?.ByName() ?? EmptyRejects,
        Volatile.Read(ref _errors),
        Volatile.Read(ref _restarts),
        Volatile.Read(ref _stalls),
        Volatile.Read(ref _stalled),
        Publisher.IsWaitingForRoom,
        Volatile.Read(ref _lastError));

    private void SetState(FeedState state) => Volatile.Write(ref _state, (int)state);

    private void RunLoop(CancellationToken stop)
    {
        var handler = Handler!;
        var consecutive = 0;
        var restart = 0;
        while (true)
        {
            SetState(FeedState.Running);
            var started = Stopwatch.GetTimestamp();
            try
            {
                if (restart == 0)
                {
                    FeedHost.Log.FeedStarted(_logger, handler.Name);
                }
                else if (handler.SequencedUpstream)
                {
                    // The epoch rule: the handler must re-establish its epoch; say so loudly.
                    FeedHost.Log.UpstreamSequencedRestart(_logger, handler.Name, restart);
                }

                handler.Run(Publisher, restart, stop);
                SetState(stop.IsCancellationRequested ? FeedState.Stopped : FeedState.Completed);
                FeedHost.Log.FeedEnded(_logger, handler.Name, State, Publisher.Published);
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                SetState(FeedState.Stopped);
                return;
            }
#pragma warning disable CA1031 // A supervisor catches everything a feed throws: that is its job.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _errors);
                Volatile.Write(ref _lastError, ex.Message);
                if (Stopwatch.GetElapsedTime(started) > _options.MaxRestartDelay)
                {
                    consecutive = 0;
                }

                if (stop.IsCancellationRequested)
                {
                    SetState(FeedState.Stopped);
                    return;
                }

                if (!handler.IsRestartable(ex) || consecutive >= _options.MaxConsecutiveRestarts)
                {
                    SetState(FeedState.Faulted);
                    FeedHost.Log.FeedFaulted(_logger, ex, handler.Name);
                    return;
                }

                var delay = BackOff(consecutive);
                consecutive++;
                restart++;
                Interlocked.Increment(ref _restarts);
                SetState(FeedState.Restarting);
                FeedHost.Log.FeedFailed(_logger, ex, handler.Name, restart, delay.TotalMilliseconds);
                if (stop.WaitHandle.WaitOne(delay))
                {
                    SetState(FeedState.Stopped);
                    return;
                }
            }
        }
    }

    private TimeSpan BackOff(int consecutive)
    {
        var delay = _options.RestartDelay;
        for (var i = 0; i < consecutive && delay < _options.MaxRestartDelay; i++)
        {
            delay *= 2;
        }

        return delay < _options.MaxRestartDelay ? delay : _options.MaxRestartDelay;
    }
}
