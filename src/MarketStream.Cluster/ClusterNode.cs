using MarketStream.Core.Engine;
using MarketStream.Core.Ring;
using MarketStream.Model;
using Microsoft.Extensions.Logging;

namespace MarketStream.Cluster;

/// <summary>
/// What the host needs of the scale-out role: an extra ring stage (ingest), a start, a stop of
/// the input (gateway) before the ring drains, and a final dispose after it (so an ingest node
/// publishes everything drained). Embedded mode is a node that does nothing.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly IngestNode? _ingest;
    private readonly GatewayNode? _gateway;
    private int _inputStopped;

    private ClusterNode(ClusterOptions options, IngestNode? ingest, GatewayNode? gateway)
    {
        Options = options;
        _ingest = ingest;
        _gateway = gateway;
    }

    /// <summary>The configured role.</summary>
    public ClusterRole Role => Options.Role;

    internal ClusterOptions Options { get; }

    /// <summary>The ring stage to run gated on the sequencer (ingest role), else null.</summary>
    public IEventHandler<Tick>? PublishStage => _ingest;

    internal GatewayNode? Gateway => _gateway;

    internal IngestNode? Ingest => _ingest;

    /// <summary>Builds the node of <paramref name="options"/>' role over the host's engine and ring.</summary>
    public static ClusterNode Create(ClusterOptions options, MarketEngine engine, RingBuffer<Tick> ring, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return options.Role switch
        {
            ClusterRole.Ingest => new ClusterNode(options, new IngestNode(options, engine, loggerFactory.CreateLogger<IngestNode>()), null),
            ClusterRole.Gateway => new ClusterNode(options, null, new GatewayNode(options, engine, ring, loggerFactory.CreateLogger<GatewayNode>())),
            _ => new ClusterNode(options, null, null),
        };
    }

    /// <summary>Connects to NATS in the background (the host does not wait for the broker).</summary>
    public void Start()
    {
        _ingest?.Start();
        _gateway?.Start();
    }

    /// <summary>
    /// Completes when an ingest node can publish (connected, snapshot responder subscribed) or
    /// <see cref="ClusterOptions.FeedStartWait"/> has passed, whichever comes first; at once for
    /// other roles. The host starts the feeds after it, so their first updates reach NATS.
    /// </summary>
    public async Task WaitUntilPublishingAsync(CancellationToken cancellationToken)
    {
        if (_ingest is null || _ingest.Ready.IsCompleted)
        {
            return;
        }

        try
        {
            await _ingest.Ready.WaitAsync(Options.FeedStartWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // NATS still away: start anyway; gateways repair from snapshots once it is back.
        }
    }

    /// <summary>Stops feeding the ring from NATS (gateway), so the ring can drain.</summary>
    public async ValueTask StopInputAsync()
    {
        if (_gateway is not null && Interlocked.Exchange(ref _inputStopped, 1) == 0)
        {
            await _gateway.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Figures for <c>/api/cluster</c> (docs/operations.md).</summary>
    public ClusterStatus GetStatus() => new(
        Role,
        Options.Role == ClusterRole.Embedded ? null : Options.NatsUrl,
        Options.SubjectPrefix,
        _ingest?.IsConnected ?? _gateway?.IsConnected ?? false,
        _ingest?.Published ?? 0,
        _ingest?.Dropped ?? 0,
        _ingest?.SnapshotsServed ?? 0,
        _gateway?.Received ?? 0,
        _gateway?.Malformed ?? 0,
        _gateway?.Recoveries ?? 0,
        _gateway?.Resets ?? 0,
        _gateway?.EpochStarts ?? 0,
        _gateway?.RecoveringCount ?? 0,
        _gateway?.NodeRestarts ?? 0,
        _gateway?.IngestNodes ?? 0);

    public async ValueTask DisposeAsync()
    {
        if (_ingest is not null)
        {
            await _ingest.DisposeAsync().ConfigureAwait(false);
        }

        await StopInputAsync().ConfigureAwait(false);
    }
}
