using MarketStream.Core.Engine;
using MarketStream.Core.Ring;
using MarketStream.Core.Symbols;
using MarketStream.Model;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace MarketStream.Cluster;

/// <summary>
/// The ingest role: a ring stage behind the sequencer publishes every sequenced update on its
/// symbol's subject, and a responder answers snapshot requests from the engine's last-value cache.
/// </summary>
/// <remarks>
/// <para>The node announces its name and epoch on <c>{prefix}.epoch</c> once its snapshot responder
/// is subscribed and then every <see cref="ClusterOptions.EpochAnnounceInterval"/>, so gateways
/// learn of a restart even for symbols that do not tick again (docs/architecture.md, scale-out).</para>
/// <para>Publishing happens on the ring stage's own thread, so the order on the wire is the sequencer's
/// order. While NATS is unreachable updates are dropped (and counted), not queued: the feeds and
/// the node's local clients keep running, and gateways repair the gap from sequences with a
/// snapshot once the connection is back. The host starts the feeds only once the node is
/// connected (or <see cref="ClusterOptions.FeedStartWait"/> has passed), so the first updates are
/// not among the dropped ones.</para>
/// </remarks>
internal sealed partial class IngestNode : IEventHandler<Tick>, IAsyncDisposable
{
    private readonly MarketEngine _engine;
    private readonly SymbolRegistry _registry;
    private readonly ClusterSubjects _subjects;
    private readonly NatsConnection _connection;
    private readonly ILogger _logger;
    private readonly string?[] _subjectById;
    private readonly byte[] _payload = new byte[UpdateCodec.MaxLength];
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _announcement;
    private readonly byte[] _nodeName;
    private readonly TimeSpan _announceInterval;
    private Task _running = Task.CompletedTask;
    private Task _announcing = Task.CompletedTask;
    private long _published;
    private long _dropped;
    private long _snapshotsServed;

    public IngestNode(ClusterOptions options, MarketEngine engine, ILogger logger)
    {
        _engine = engine;
        _registry = engine.Registry;
        _subjects = new ClusterSubjects(options.SubjectPrefix);
        _logger = logger;
        _subjectById = new string?[_registry.Capacity];
        _connection = NatsConnector.Create(options, "marketstream-ingest");
        _announcement = new EpochAnnouncement(options.NodeName, engine.StartEpoch).Write();
        _nodeName = System.Text.Encoding.ASCII.GetBytes(options.NodeName);
        _announceInterval = options.EpochAnnounceInterval;
    }

    /// <summary>Completes once the node is connected and its snapshot responder subscribed (from then on publishes reach NATS).</summary>
    public Task Ready => _ready.Task;

    /// <summary>True while the NATS connection is open.</summary>
    public bool IsConnected => _connection.ConnectionState == NatsConnectionState.Open;

    /// <summary>Updates published to NATS.</summary>
    public long Published => Volatile.Read(ref _published);

    /// <summary>Updates not published because NATS was unreachable (gateways resynchronise).</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Snapshot requests answered.</summary>
    public long SnapshotsServed => Volatile.Read(ref _snapshotsServed);

    public void Start() => _running = RunAsync(_stop.Token);

    /// <summary>Ring stage (gated on the sequencer): one NATS message per sequenced update.</summary>
    public void OnEvent(ref Tick data, long sequence, bool endOfBatch)
    {
        if (data.Kind is not (TickKind.Quote or TickKind.Trade))
        {
            return;
        }

        if (_connection.ConnectionState != NatsConnectionState.Open)
        {
            Volatile.Write(ref _dropped, _dropped + 1);
            return;
        }

        var subject = _subjectById[data.SymbolId] ??= _registry.TryGet(data.SymbolId, out var info) ? _subjects.Update(info.Name) : null;
        if (subject is null)
        {
            return;
        }

        var length = UpdateCodec.Write(in data, _payload);
        try
        {
            // The client copies the payload into its write buffer before the call completes; it
            // completes synchronously unless that buffer is full, and the payload array is reused,
            // so wait in that (back-pressure) case. Socket writes are batched by the client.
            var pending = _connection.PublishAsync(subject, (ReadOnlyMemory<byte>)_payload.AsMemory(0, length));
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult();
            }

            Volatile.Write(ref _published, _published + 1);
        }
        catch (Exception ex) when (ex is NatsException or ObjectDisposedException or OperationCanceledException)
        {
            Volatile.Write(ref _dropped, _dropped + 1);
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await NatsConnector.ConnectAsync(_connection, _logger, stop).ConfigureAwait(false);
            var requests = await _connection.SubscribeCoreAsync<NatsMemoryOwner<byte>>(_subjects.AllSnapshots, cancellationToken: stop).ConfigureAwait(false);
            await using (requests.ConfigureAwait(false))
            {
                // A round trip after SUB: once the PONG is back, requests prompted by the announcement reach us.
                await _connection.PingAsync(stop).ConfigureAwait(false);
                _ready.TrySetResult();
                _announcing = AnnounceAsync(stop);
                await foreach (var request in requests.Msgs.ReadAllAsync(stop).ConfigureAwait(false))
                {
                    using var payload = request.Data;
                    await AnswerAsync(request).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.ResponderFailed(_logger, ex);
        }
    }

    /// <summary>Announces name and epoch now and every interval (NATS.Net reconnects by itself; an announcement while away is skipped).</summary>
    private async Task AnnounceAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_announceInterval);
        try
        {
            do
            {
                if (_connection.ConnectionState != NatsConnectionState.Open)
                {
                    continue;
                }

                try
                {
                    await _connection.PublishAsync(_subjects.Epochs, (ReadOnlyMemory<byte>)_announcement, cancellationToken: stop).ConfigureAwait(false);
                }
                catch (NatsException ex)
                {
                    Log.AnnounceFailed(_logger, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async ValueTask AnswerAsync(NatsMsg<NatsMemoryOwner<byte>> request)
    {
        Span<char> name = stackalloc char[SymbolInfo.MaxNameLength];
        if (request.ReplyTo is null
            || !ClusterSubjects.TryGetSymbol(request.Subject, _subjects.SnapshotPrefix, name, out var length)
            || !_registry.TryGet(name[..length], out var info)
            || !_engine.TryGetSnapshot(info.Id, out var snapshot)
            || (snapshot.Seq == 0 && !request.Data.Span.SequenceEqual(_nodeName)))
        {
            // Not ours, or nothing sequenced yet: stay silent, so another ingest node that owns the
            // symbol answers (a request takes the first reply); the gateway asks again after its
            // timeout. A request naming this node comes from a gateway that saw this node restart
            // while the symbol was in its old epoch: the symbol is ours, and "nothing since the
            // restart" is the answer.
            return;
        }

        await request.ReplyAsync(SnapshotCodec.Write(info, in snapshot)).ConfigureAwait(false);
        Interlocked.Increment(ref _snapshotsServed);
    }

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

        await _announcing.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Snapshot responder stopped")]
        public static partial void ResponderFailed(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Debug, "Epoch announcement not sent ({Reason})")]
        public static partial void AnnounceFailed(ILogger logger, string reason);
    }
}
