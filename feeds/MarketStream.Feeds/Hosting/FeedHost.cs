using System.Diagnostics;
using MarketStream.Core.Ring;
using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Replay;
using MarketStream.Feeds.Symbols;
using MarketStream.Feeds.Synthetic;
using MarketStream.Feeds.Validation;
using MarketStream.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketStream.Feeds.Hosting;

/// <summary>
/// Runs the configured feeds into one tick ring and supervises them: each handler on its own
/// thread, restarted with back-off when it throws, reported stalled when it goes silent, with
/// per-feed rates and counters in <see cref="GetStatus"/>. Several feeds need a ring created with
/// <see cref="ProducerType.Multi"/>.
/// <code>
/// var host = FeedHost.Create(pipeline.RingBuffer, feedsOptions, universe, loggerFactory);
/// pipeline.Start();
/// host.Start();
/// …
/// host.Stop(TimeSpan.FromSeconds(5));
/// pipeline.Drain(TimeSpan.FromSeconds(5));
/// </code>
/// </summary>
public sealed partial class FeedHost : IDisposable
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(5);

    private readonly RingBuffer<Tick> _ring;
    private readonly FeedSupervisorOptions _options;
    private readonly ILogger _logger;
    private readonly List<FeedRunner> _runners = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _sync = new();
    private Timer? _monitor;
    private int _started;
    private int _disposed;

    /// <summary>Creates an empty host; add feeds with <see cref="Add"/> and <see cref="AddExternalPublisher"/>.</summary>
    /// <param name="ring">The tick ring to publish into.</param>
    /// <param name="options">Supervision settings. Defaults to <see cref="FeedSupervisorOptions"/> defaults.</param>
    /// <param name="logger">Where feed events are logged. Defaults to none.</param>
    public FeedHost(RingBuffer<Tick> ring, FeedSupervisorOptions? options = null, ILogger<FeedHost>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ring);
        options ??= new FeedSupervisorOptions();
        var errors = FeedsOptionsValidator.ValidateSupervisor(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid feed supervisor options: " + string.Join("; ", errors), nameof(options));
        }

        _ring = ring;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// The ingest publisher when <see cref="FeedsOptions.Ingest"/> is enabled (set by
    /// <see cref="Create"/>): the server's ingest endpoint decodes and validates publisher
    /// messages (see <see cref="CreateIngestValidator"/>) and publishes accepted ticks through it.
    /// </summary>
    public TickPublisher? IngestPublisher { get; private set; }

    /// <summary>Rejection counters of the ingest endpoint, shared by its per-connection validators.</summary>
    public TickRejectCounts IngestRejects { get; } = new();

    /// <summary>The universe the host was created with by <see cref="Create"/>, if any.</summary>
    public SymbolUniverse? Universe { get; private set; }

    private TickValidationOptions ValidationOptions { get; set; } = new();

    /// <summary>
    /// Builds a host with the feeds <paramref name="options"/> enables (synthetic, replay, ingest),
    /// after validating the options (an <see cref="ArgumentException"/> lists every problem).
    /// </summary>
    public static FeedHost Create(RingBuffer<Tick> ring, FeedsOptions options, SymbolUniverse universe, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(universe);
        var errors = FeedsOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid feed options: " + string.Join("; ", errors), nameof(options));
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        var host = new FeedHost(ring, options.Supervisor, loggerFactory.CreateLogger<FeedHost>())
        {
            Universe = universe,
            ValidationOptions = options.Validation,
        };
        if (options.Synthetic.Enabled)
        {
            host.Add(new SyntheticFeed("synthetic", universe, options.Synthetic));
        }

        if (options.Replay.Enabled)
        {
            host.Add(new ReplayFeed("replay", universe, options.Replay, options.Validation));
        }

        if (options.Ingest.Enabled)
        {
            host.IngestPublisher = host.AddExternalPublisher("ingest", host.IngestRejects);
        }

        return host;
    }

    /// <summary>A validator for one ingest connection, counting into <see cref="IngestRejects"/>.</summary>
    public TickValidator CreateIngestValidator()
    {
        var universe = Universe ?? throw new InvalidOperationException("The host was not created with a universe (use FeedHost.Create).");
        return new TickValidator(universe, ValidationOptions, IngestRejects);
    }

    /// <summary>Adds a handler; call before <see cref="Start"/>.</summary>
    public void Add(FeedHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        AddRunner(handler, handler.Name, null);
    }

    /// <summary>
    /// Adds a publisher for a producer that runs elsewhere (the ingest endpoint's connections):
    /// it is counted in <see cref="GetStatus"/> but has no thread of its own and is never reported stalled.
    /// </summary>
    /// <param name="name">Feed name in the status.</param>
    /// <param name="rejects">Where the producer counts the ticks it refuses, reported in the status. Defaults to none.</param>
    public TickPublisher AddExternalPublisher(string name, TickRejectCounts? rejects = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return AddRunner(null, name, rejects).Publisher;
    }

    /// <summary>Starts every feed on its own thread, and the monitor. Call once.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The feed host has already started.");
        }

        lock (_sync)
        {
            if (_runners.Count > 1 && _ring.ProducerClaim is not MultiProducerClaim)
            {
                throw new InvalidOperationException($"{_runners.Count} feeds publish into a single-producer ring; create the ring with ProducerType.Multi.");
            }

            foreach (var runner in _runners)
            {
                runner.Start(_stop.Token);
            }
        }

        _monitor = new Timer(static state => ((FeedHost)state!).Monitor(), this, _options.MonitorInterval, _options.MonitorInterval);
    }

    /// <summary>
    /// Signals every feed to stop and waits for their threads; false when one did not end within
    /// <paramref name="timeout"/>. Claimed slots are always published before a feed returns.
    /// </summary>
    public bool Stop(TimeSpan timeout)
    {
        // Idempotent: a second Stop (or Stop after Dispose) only waits again.
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
        }

        _monitor?.Dispose();
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var all = true;
        foreach (var runner in Runners())
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            all &= runner.Join(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        }

        return all;
    }

    /// <summary>
    /// Waits until every feed with a thread has completed, faulted or stopped (e.g. a replay at
    /// its end); false on timeout.
    /// </summary>
    public bool WaitForCompletion(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var done = true;
            foreach (var runner in Runners())
            {
                done &= runner.Handler is null || runner.IsTerminal;
            }

            if (done)
            {
                return true;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            Thread.Sleep(5);
        }
    }

    /// <summary>Status of every feed, in the order they were added.</summary>
    public IReadOnlyList<FeedStatus> GetStatus()
    {
        var runners = Runners();
        var result = new FeedStatus[runners.Length];
        for (var i = 0; i < runners.Length; i++)
        {
            result[i] = runners[i].Status();
        }

        return result;
    }

    /// <summary>Stops the feeds (waiting up to 5 s).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Stop(DisposeTimeout);
        _stop.Dispose();
    }

    private FeedRunner AddRunner(FeedHandler? handler, string name, TickRejectCounts? externalRejects)
    {
        lock (_sync)
        {
            if (Volatile.Read(ref _started) != 0)
            {
                throw new InvalidOperationException("Feeds must be added before the host starts.");
            }

            foreach (var existing in _runners)
            {
                if (string.Equals(existing.Publisher.Name, name, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"A feed named '{name}' already exists.", nameof(name));
                }
            }

            var runner = new FeedRunner(handler, new TickPublisher(name, _ring), externalRejects, _options, _logger);
            _runners.Add(runner);
            return runner;
        }
    }

    private FeedRunner[] Runners()
    {
        lock (_sync)
        {
            return [.. _runners];
        }
    }

    private void Monitor()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_sync)
        {
            foreach (var runner in _runners)
            {
                runner.Monitor(now);
            }
        }
    }
}
