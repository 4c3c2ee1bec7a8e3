using MarketStream.Core.Engine;
using MarketStream.Core.Ring;
using MarketStream.Core.Symbols;
using MarketStream.Model;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace MarketStream.Cluster;

/// <summary>
/// The gateway role: one wildcard subscription to every update subject feeds the local ring with
/// ticks that keep their upstream <c>(epoch, seq)</c>; the local sequencer passes them through, so
/// every gateway holds the same positions and a client can resume on any of them.
/// </summary>
/// <remarks>
/// <para>Per symbol, updates must arrive as seq + 1 of the same epoch (or seq 1 of a new epoch,
/// an ingest restart). Anything else — a symbol seen for the first time, a skipped seq after a
/// dropped message or a NATS outage — starts a recovery: ask the owning ingest node for a snapshot
/// (request/reply on <c>{prefix}.snap.{symbol}</c>), hold the updates that arrive meanwhile, then
/// install the snapshot (a <see cref="TickKind.StreamReset"/> tick, so subscribers get a reset) and
/// replay the held updates above it. The ingest's LVC is updated before the update is published,
/// so a reply always covers every update received before the request was sent: only later ones
/// need holding. On every reconnect to NATS all known symbols recover, because anything may have
/// been missed while away; a snapshot equal to the position already held installs nothing, so
/// clients see a reset only for symbols that really moved.</para>
/// <para>Ingest nodes announce their name and epoch on <c>{prefix}.epoch</c>. A known name with a
/// newer epoch is a restart: every symbol still in that node's old epoch recovers at once, with a
/// request naming the node, which it answers even for a symbol it has not sequenced since (an empty
/// snapshot in the new epoch), so no symbol stays in a dead epoch waiting for its next tick.</para>
/// <para>All state is touched under one lock, by the subscription loop and by snapshot replies;
/// ring publication happens under it too, which keeps the ring in the order decided here.</para>
/// </remarks>
internal sealed partial class GatewayNode : IAsyncDisposable
{
    private const int MaxConcurrentRequests = 64;

    private readonly ClusterOptions _options;
    private readonly MarketEngine _engine;
    private readonly SymbolRegistry _registry;
    private readonly RingBuffer<Tick> _ring;
    private readonly ClusterSubjects _subjects;
    private readonly NatsConnection _connection;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, UpstreamSymbol> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UpstreamSymbol>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly Dictionary<string, long> _nodeEpochs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _requestSlots = new(MaxConcurrentRequests);
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private int _disconnected;
    private int _subscribed;
    private long _received;
    private long _malformed;
    private long _gaps;
    private long _resets;
    private long _epochStarts;
    private long _nodeRestarts;
    private int _ingestNodes;
    private long _lastHopNs;

    public GatewayNode(ClusterOptions options, MarketEngine engine, RingBuffer<Tick> ring, ILogger logger)
    {
        _options = options;
        _engine = engine;
        _registry = engine.Registry;
        _ring = ring;
        _logger = logger;
        _subjects = new ClusterSubjects(options.SubjectPrefix);
        _bySpan = _symbols.GetAlternateLookup<ReadOnlySpan<char>>();
        _connection = NatsConnector.Create(options, "marketstream-gateway");
        _connection.ConnectionOpened += OnConnectionOpenedAsync;
        _connection.ConnectionDisconnected += OnConnectionDisconnectedAsync;
    }

    /// <summary>True while the NATS connection is open.</summary>
    public bool IsConnected => Volatile.Read(ref _subscribed) == 1 && _connection.ConnectionState == NatsConnectionState.Open;

    /// <summary>Update messages received from NATS.</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>Messages that were not a valid update payload or subject (dropped).</summary>
    public long Malformed => Volatile.Read(ref _malformed);

    /// <summary>Recoveries started (first sight, seq skip, reconnect).</summary>
    public long Recoveries => Volatile.Read(ref _gaps);

    /// <summary>Snapshots installed (each sends subscribers of that symbol a reset).</summary>
    public long Resets => Volatile.Read(ref _resets);

    /// <summary>New upstream epochs followed from their first update.</summary>
    public long EpochStarts => Volatile.Read(ref _epochStarts);

    /// <summary>Ingest node restarts seen in epoch announcements (a known name with a newer epoch).</summary>
    public long NodeRestarts => Volatile.Read(ref _nodeRestarts);

    /// <summary>Ingest nodes whose epoch announcement this gateway has heard: a restart of one of them is recognised.</summary>
    public int IngestNodes => Volatile.Read(ref _ingestNodes);

    /// <summary>Ingest sequencing → gateway receive of the latest update, ns (one clock only when on one machine).</summary>
    public long LastHopNs => Volatile.Read(ref _lastHopNs);

    /// <summary>Symbols currently waiting for a snapshot.</summary>
    public int RecoveringCount
    {
        get
        {
            lock (_gate)
            {
                var n = 0;
                foreach (var s in _symbols.Values)
                {
                    n += s.Recovering ? 1 : 0;
                }

                return n;
            }
        }
    }

    public void Start() => _running = RunAsync(_stop.Token);

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await NatsConnector.ConnectAsync(_connection, _logger, stop).ConfigureAwait(false);
            var subscription = await _connection.SubscribeCoreAsync<NatsMemoryOwner<byte>>(_subjects.AllUpdates, cancellationToken: stop).ConfigureAwait(false);
            var announcements = await _connection.SubscribeCoreAsync<NatsMemoryOwner<byte>>(_subjects.Epochs, cancellationToken: stop).ConfigureAwait(false);
            await using (subscription.ConfigureAwait(false))
            await using (announcements.ConfigureAwait(false))
            {
                var announcing = ReadAnnouncementsAsync(announcements.Msgs, stop);
                // A round trip after SUB: once the PONG is back the server routes updates to us.
                await _connection.PingAsync(stop).ConfigureAwait(false);
                Volatile.Write(ref _subscribed, 1);
                var reader = subscription.Msgs;
                while (await reader.WaitToReadAsync(stop).ConfigureAwait(false))
                {
                    lock (_gate)
                    {
                        // Drain what is there under one lock acquisition.
                        while (reader.TryRead(out var message))
                        {
                            using var payload = message.Data;
                            OnUpdateLocked(message.Subject, payload.Span);
                        }
                    }
                }

                await announcing.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.SubscriptionFailed(_logger, ex);
        }
    }

    private async Task ReadAnnouncementsAsync(System.Threading.Channels.ChannelReader<NatsMsg<NatsMemoryOwner<byte>>> reader, CancellationToken stop)
    {
        try
        {
            await foreach (var message in reader.ReadAllAsync(stop).ConfigureAwait(false))
            {
                using var payload = message.Data;
                lock (_gate)
                {
                    if (EpochAnnouncement.TryRead(payload.Span, out var announcement))
                    {
                        OnAnnouncementLocked(announcement);
                    }
                    else
                    {
                        _malformed++;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>A known ingest node with a newer epoch restarted: its symbols' history is gone, ticking or not.</summary>
    private void OnAnnouncementLocked(EpochAnnouncement announcement)
    {
        if (!_nodeEpochs.TryGetValue(announcement.NodeName, out var previous))
        {
            _nodeEpochs.Add(announcement.NodeName, announcement.Epoch);
            Volatile.Write(ref _ingestNodes, _nodeEpochs.Count);
            return;
        }

        if (announcement.Epoch <= previous)
        {
            // The current epoch again, or an older one: a late message, or two nodes sharing a name.
            if (announcement.Epoch < previous)
            {
                Log.OlderEpochAnnounced(_logger, announcement.NodeName, announcement.Epoch, previous);
            }

            return;
        }

        _nodeEpochs[announcement.NodeName] = announcement.Epoch;
        _nodeRestarts++;
        var moved = 0;
        foreach (var symbol in _symbols.Values)
        {
            // Symbols that already followed the new epoch from its seq 1 are in it, not in `previous`.
            if (symbol.Epoch == previous && (symbol.Synced || symbol.Recovering))
            {
                symbol.Claim = announcement.NodeName;
                StartRecoveryLocked(symbol);
                moved++;
            }
        }

        Log.NodeRestarted(_logger, announcement.NodeName, previous, announcement.Epoch, moved);
    }

    private void OnUpdateLocked(string subject, ReadOnlySpan<byte> payload)
    {
        _received++;
        Span<char> name = stackalloc char[SymbolInfo.MaxNameLength];
        var tick = default(Tick);
        if (!ClusterSubjects.TryGetSymbol(subject, _subjects.UpdatePrefix, name, out var length)
            || !UpdateCodec.TryRead(payload, ref tick, out var upstreamServerNs))
        {
            _malformed++;
            return;
        }

        _lastHopNs = EngineClockNow() - upstreamServerNs;
        if (!_bySpan.TryGetValue(name[..length], out var symbol))
        {
            symbol = new UpstreamSymbol(name[..length].ToString());
            _symbols.Add(symbol.Name, symbol);
        }

        if (symbol.Recovering)
        {
            if (tick.Seq == 1 && (!symbol.Synced || tick.Epoch != symbol.Epoch) && (symbol.SymbolId >= 0 || TryResolveLocally(symbol)))
            {
                // The first update of a new epoch is a complete starting point (nothing came before
                // it): follow it now instead of waiting for the snapshot; a late reply is ignored.
                symbol.Recovering = false;
                symbol.Generation++;
                symbol.Held.Clear();
                symbol.Claim = null;
                ApplyLocked(symbol, ref tick);
                return;
            }

            if (symbol.Held.Count >= _options.RecoveryBufferLimit)
            {
                // Too much to hold: a fresh snapshot will cover all of it.
                StartRecoveryLocked(symbol);
                return;
            }

            symbol.Held.Add(tick);
            return;
        }

        ApplyLocked(symbol, ref tick);
    }

    private void ApplyLocked(UpstreamSymbol symbol, ref Tick tick)
    {
        if (symbol.Synced && tick.Epoch == symbol.Epoch)
        {
            if (tick.Seq <= symbol.Seq)
            {
                return; // redelivered, or already covered by a snapshot
            }

            if (tick.Seq == symbol.Seq + 1)
            {
                Publish(symbol, ref tick);
                return;
            }
        }
        else if (tick.Seq == 1 && (symbol.SymbolId >= 0 || TryResolveLocally(symbol)))
        {
            // The first update of an upstream epoch (ingest start or restart): nothing came
            // before it, so no snapshot is needed; the local sequencer restarts the LVC on the new
            // epoch and subscribers get a reset.
            _epochStarts++;
            symbol.Synced = true;
            Publish(symbol, ref tick);
            return;
        }

        // First sight of the symbol, or a gap: this update is covered by the snapshot asked for now.
        StartRecoveryLocked(symbol);
    }

    /// <summary>A symbol of the local universe needs no reference data from the snapshot.</summary>
    private bool TryResolveLocally(UpstreamSymbol symbol)
    {
        if (!_registry.TryGet(symbol.Name, out var info))
        {
            return false;
        }

        symbol.SymbolId = info.Id;
        return true;
    }

    private void Publish(UpstreamSymbol symbol, ref Tick tick)
    {
        tick.SymbolId = symbol.SymbolId;
        symbol.Epoch = tick.Epoch;
        symbol.Seq = tick.Seq;
        PublishToRing(in tick);
    }

    private void StartRecoveryLocked(UpstreamSymbol symbol)
    {
        _gaps++;
        symbol.Recovering = true;
        symbol.Held.Clear();
        var generation = ++symbol.Generation;
        _ = RequestSnapshotAsync(symbol, generation);
    }

    private async Task RequestSnapshotAsync(UpstreamSymbol symbol, int generation)
    {
        var stop = _stop.Token;
        string? claim;
        lock (_gate)
        {
            claim = symbol.Claim;
        }

        try
        {
            await _requestSlots.WaitAsync(stop).ConfigureAwait(false);
            NatsMsg<NatsMemoryOwner<byte>> reply;
            try
            {
                reply = await _connection.RequestAsync<byte[], NatsMemoryOwner<byte>>(
                    _subjects.Snapshot(symbol.Name),
                    claim is null ? [] : System.Text.Encoding.ASCII.GetBytes(claim),
                    replyOpts: new NatsSubOpts { Timeout = _options.SnapshotTimeout },
                    cancellationToken: stop).ConfigureAwait(false);
            }
            finally
            {
                _requestSlots.Release();
            }

            using var payload = reply.Data;
            lock (_gate)
            {
                OnSnapshotLocked(symbol, generation, payload.Span);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException or TimeoutException)
        {
            // No responder yet (ingest down or the symbol not sequenced since its restart), a
            // timeout, or NATS away: ask again. Updates held meanwhile are dropped at the re-ask,
            // because the new reply covers them.
            Log.SnapshotRetry(_logger, symbol.Name, ex.Message);
            try
            {
                await Task.Delay(_options.SnapshotTimeout / 4, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_gate)
            {
                if (symbol.Generation == generation && symbol.Recovering)
                {
                    StartRecoveryLocked(symbol);
                }
            }
        }
    }

    private void OnSnapshotLocked(UpstreamSymbol symbol, int generation, ReadOnlySpan<byte> payload)
    {
        if (symbol.Generation != generation || !symbol.Recovering)
        {
            return; // a reply to a request superseded by a newer one
        }

        if (!SnapshotCodec.TryRead(payload, symbol.Name, out var definition, out var snapshot))
        {
            _malformed++;
            StartRecoveryLocked(symbol);
            return;
        }

        if (symbol.SymbolId < 0)
        {
            symbol.SymbolId = _registry.GetOrAdd(definition).Id;
        }

        var alreadyThere = symbol.Synced && symbol.Epoch == snapshot.Epoch && symbol.Seq >= snapshot.Seq;
        if (!alreadyThere)
        {
            snapshot.SymbolId = symbol.SymbolId;
            _engine.StageStreamReset(in snapshot);
            PublishToRing(new Tick { Kind = TickKind.StreamReset, SymbolId = symbol.SymbolId, Epoch = snapshot.Epoch, Seq = snapshot.Seq });
            symbol.Epoch = snapshot.Epoch;
            symbol.Seq = snapshot.Seq;
            _resets++;
        }

        symbol.Synced = true;
        symbol.Recovering = false;
        symbol.Claim = null;
        var held = symbol.Held.ToArray();
        symbol.Held.Clear();
        for (var i = 0; i < held.Length; i++)
        {
            if (symbol.Recovering)
            {
                symbol.Held.Add(held[i]);
                continue;
            }

            ApplyLocked(symbol, ref held[i]);
        }
    }

    private void PublishToRing(in Tick tick)
    {
        long sequence;
        var spinner = default(SpinWait);
        while (!_ring.TryNext(out sequence))
        {
            // Ring full: the engine is behind. NATS keeps buffering meanwhile (and drops beyond the
            // subscription's capacity, which sequences then expose as a gap).
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            spinner.SpinOnce();
        }

        ref var slot = ref _ring[sequence];
        slot = tick;
        _ring.Publish(sequence);
    }

    private ValueTask OnConnectionDisconnectedAsync(object? sender, NatsEventArgs args)
    {
        Volatile.Write(ref _disconnected, 1);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnConnectionOpenedAsync(object? sender, NatsEventArgs args)
    {
        // Only a return after a loss matters (the first open has nothing to catch up on).
        if (Interlocked.Exchange(ref _disconnected, 0) == 0)
        {
            return ValueTask.CompletedTask;
        }

        // Reconnected: anything may have been published while away. Resynchronise every symbol.
        lock (_gate)
        {
            Log.Resynchronising(_logger, _symbols.Count);
            foreach (var symbol in _symbols.Values)
            {
                StartRecoveryLocked(symbol);
            }
        }

        return ValueTask.CompletedTask;
    }

    private static long EngineClockNow() => UnixNanos.Now();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _connection.ConnectionOpened -= OnConnectionOpenedAsync;
        _connection.ConnectionDisconnected -= OnConnectionDisconnectedAsync;
        await _connection.DisposeAsync().ConfigureAwait(false);
        _requestSlots.Dispose();
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "NATS subscription loop stopped")]
        public static partial void SubscriptionFailed(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Debug, "Snapshot of {Symbol} not received ({Reason}); asking again")]
        public static partial void SnapshotRetry(ILogger logger, string symbol, string reason);

        [LoggerMessage(3, LogLevel.Information, "Reconnected to NATS: resynchronising {Symbols} symbols")]
        public static partial void Resynchronising(ILogger logger, int symbols);

        [LoggerMessage(4, LogLevel.Information, "Ingest node {Node} restarted (epoch {Previous} → {Epoch}): moving {Symbols} symbols to the new epoch")]
        public static partial void NodeRestarted(ILogger logger, string node, long previous, long epoch, int symbols);

        [LoggerMessage(5, LogLevel.Warning, "Ingest node {Node} announced epoch {Epoch}, older than its {Current}: a late message, or two ingest nodes share a name (Cluster:NodeName)")]
        public static partial void OlderEpochAnnounced(ILogger logger, string node, long epoch, long current);
    }
}
