using MarketStream.Cluster;
using MarketStream.Core.Engine;
using MarketStream.Core.Ring;
using MarketStream.Core.Symbols;
using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Hosting;
using MarketStream.Feeds.Symbols;
using MarketStream.Journal;
using MarketStream.Model;
using MarketStream.Protocol;
using Microsoft.Extensions.Options;

namespace MarketStream.Server.Hosting;

/// <summary>
/// One node's tick pipeline: symbol universe → registry → engine (sequencer, fan-out) behind a
/// multi-producer ring → feeds. Built at construction so sessions can use the engine as soon as
/// the host serves requests; the threads start in <see cref="StartAsync"/> and stop in reverse
/// order (feeds first, then the ring drains) in <see cref="StopAsync"/>.
/// </summary>
internal sealed partial class EngineHost : IHostedService, IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly RingPipeline<Tick> _pipeline;
    private readonly RingStage _sequencerStage;
    private readonly RingStage _fanOutStage;
    private readonly ILogger<EngineHost> _logger;
    private readonly ClusterNode _cluster;
    private readonly CancellationTokenSource _stopping = new();
    private Task _feedsStarting = Task.CompletedTask;
    private readonly TickJournal? _journal;
    private readonly RingStage? _journalStage;
    private int _started;

    public EngineHost(IOptions<EngineHostOptions> options, IOptions<FeedsOptions> feeds, IOptions<ClusterOptions> cluster, IOptions<JournalOptions> journal, ILoggerFactory loggerFactory, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(feeds);
        ArgumentNullException.ThrowIfNull(cluster);
        _logger = loggerFactory.CreateLogger<EngineHost>();
        var o = options.Value;

        Universe = feeds.Value.UniversePath is { Length: > 0 } path ? UniverseLoader.Load(path) : UniverseLoader.LoadEmbedded();
        Registry = new SymbolRegistry();
        foreach (var symbol in Universe.Symbols)
        {
            // Feeds address symbols by universe index; the registry must hand out the same ids.
            var info = Registry.GetOrAdd(new SymbolDefinition(symbol.Name, symbol.PriceScale, symbol.SizeScale, symbol.Currency, symbol.Venue));
            if (info.Id != symbol.Id)
            {
                throw new InvalidOperationException($"Symbol '{symbol.Name}' got registry id {info.Id} but universe id {symbol.Id}; the universe must not repeat names.");
            }
        }

        Engine = new MarketEngine(Registry, MessagePackUpdateEncoder.Instance, new EngineOptions { HistoryDepth = o.HistoryDepth, StartEpoch = o.StartEpoch }, clock);
        _pipeline = new RingPipeline<Tick>(o.RingSize, ProducerType.Multi, CreateWaitStrategy(o.WaitStrategy))
        {
            ExceptionPolicy = HandlerExceptionPolicy.LogAndContinue,
            OnHandlerException = (ex, seq) => Log.StageFailed(_logger, ex, seq),
        };
        _sequencerStage = _pipeline.HandleWith(Engine.Sequencing);
        _fanOutStage = _pipeline.HandleWith(Engine.FanOut, _sequencerStage);

        // Scale-out (docs/architecture.md): an ingest node publishes from a stage beside fan-out;
        // a gateway's ticks come from NATS only, so its feeds are built (and validated) but never started.
        _cluster = ClusterNode.Create(cluster.Value, Engine, _pipeline.RingBuffer, loggerFactory);
        if (_cluster.PublishStage is { } publish)
        {
            _pipeline.HandleWith(publish, _sequencerStage);
        }

        // The journal (docs/journal.md) appends from a stage beside fan-out that never waits on the
        // disk. A gateway's stream resets come from NATS snapshots the journal does not record, so
        // only nodes that sequence their own feeds journal.
        if (journal.Value.Enabled)
        {
            if (_cluster.Role == ClusterRole.Gateway)
            {
                Log.JournalIgnoredOnGateway(_logger);
            }
            else
            {
                _journal = TickJournal.Open(journal.Value, Registry, clock, loggerFactory.CreateLogger<TickJournal>());
                _journalStage = _pipeline.HandleWith(_journal.Stage, _sequencerStage);
            }
        }

        Feeds = FeedHost.Create(_pipeline.RingBuffer, feeds.Value, Universe, loggerFactory);
    }

    /// <summary>The tick journal, or null when it is disabled.</summary>
    public TickJournal? Journal => _journal;

    /// <summary>Updates the sequencer has handled that are not yet written to a journal file (0 without a journal).</summary>
    public long JournalLag => _journal is null || _journalStage is null
        ? 0
        : Math.Max(0, _sequencerStage.Sequence.Value - _journalStage.Sequence.Value) + _journal.PendingRecords;

    public SymbolUniverse Universe { get; }

    public SymbolRegistry Registry { get; }

    public MarketEngine Engine { get; }

    public FeedHost Feeds { get; }

    public RingBuffer<Tick> Ring => _pipeline.RingBuffer;

    /// <summary>This node's scale-out role and its NATS figures.</summary>
    public ClusterNode Cluster => _cluster;

    /// <summary>True between a successful start and the beginning of stop.</summary>
    public bool IsRunning => Volatile.Read(ref _started) == 1 && _pipeline.Fault is null;

    /// <summary>Ticks published to the ring but not yet through fan-out.</summary>
    public long RingLag => Math.Max(0, _pipeline.RingBuffer.Cursor - _fanOutStage.Sequence.Value);

    /// <summary>Ticks the sequencer has processed (ring position).</summary>
    public long SequencerPosition => _sequencerStage.Sequence.Value + 1;

    /// <summary>Ticks fan-out has processed (ring position).</summary>
    public long FanOutPosition => _fanOutStage.Sequence.Value + 1;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _journal?.Start();
        _pipeline.Start();
        _cluster.Start();
        if (_cluster.Role == ClusterRole.Ingest)
        {
            // After NATS is there (bounded wait, in the background so the node serves meanwhile):
            // the feeds' first updates, the synthetic feed's opening quotes, must not be dropped.
            _feedsStarting = StartFeedsWhenPublishingAsync(_stopping.Token);
        }
        else if (_cluster.Role != ClusterRole.Gateway)
        {
            Feeds.Start();
        }

        Volatile.Write(ref _started, 1);
        Log.Started(_logger, Registry.Count, Engine.StartEpoch, Feeds.GetStatus().Count);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 0) == 1)
        {
            await _cluster.StopInputAsync().ConfigureAwait(false);
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _feedsStarting.ConfigureAwait(false);
            Feeds.Stop(StopTimeout);
            if (!_pipeline.Drain(StopTimeout))
            {
                Log.DrainTimedOut(_logger, RingLag);
                _pipeline.Halt(StopTimeout);
            }

            if (_journal is not null && !_journal.Stop(StopTimeout))
            {
                Log.JournalStopTimedOut(_logger, _journal.PendingRecords);
            }

            await _cluster.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        Feeds.Dispose();
        _pipeline.Dispose();
        _journal?.Dispose();
    }

    private async Task StartFeedsWhenPublishingAsync(CancellationToken stopping)
    {
        try
        {
            await _cluster.WaitUntilPublishingAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Feeds.Start();
    }

    private static IWaitStrategy CreateWaitStrategy(WaitStrategyKind kind) => kind switch
    {
        WaitStrategyKind.Yielding => new YieldingWaitStrategy(),
        WaitStrategyKind.Sleeping => new SleepingWaitStrategy(),
        WaitStrategyKind.BusySpin => new BusySpinWaitStrategy(),
        _ => new BlockingWaitStrategy(),
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Engine started: {Symbols} symbols, epoch {Epoch}, {Feeds} feeds")]
        public static partial void Started(ILogger logger, int symbols, long epoch, int feeds);

        [LoggerMessage(2, LogLevel.Error, "Engine stage failed at ring sequence {Sequence}; continuing")]
        public static partial void StageFailed(ILogger logger, Exception exception, long sequence);

        [LoggerMessage(3, LogLevel.Warning, "Engine drain timed out with {Lag} ticks left; halting")]
        public static partial void DrainTimedOut(ILogger logger, long lag);

        [LoggerMessage(4, LogLevel.Warning, "MarketStream:Journal:Enabled is ignored on a cluster gateway; the ingest node journals")]
        public static partial void JournalIgnoredOnGateway(ILogger logger);

        [LoggerMessage(5, LogLevel.Warning, "Journal stop timed out with {Pending} records not yet written")]
        public static partial void JournalStopTimedOut(ILogger logger, long pending);
    }
}
