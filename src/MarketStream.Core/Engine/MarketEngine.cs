using MarketStream.Core.Ring;
using MarketStream.Core.Sessions;
using MarketStream.Core.Symbols;
using MarketStream.Model;

namespace MarketStream.Core.Engine;

/// <summary>
/// The market-data engine: per-symbol sequencing, last-value cache and history, fan-out, and the
/// factory for session outboxes. Plug <see cref="Sequencing"/> and then <see cref="FanOut"/> into the
/// tick ring as consecutive consumers (fan-out gated on the sequencer).
/// </summary>
public sealed class MarketEngine
{
    private readonly SequencingStage _sequencer;
    private readonly FanOutStage _fanOut;

    /// <summary>Creates the engine. <paramref name="timeProvider"/> defaults to the system clock; tests pass a manual one.</summary>
    public MarketEngine(SymbolRegistry registry, IUpdateEncoder encoder, EngineOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(encoder);
        options ??= new EngineOptions();
        options.Validate();
        if (encoder.MaxUpdateLength <= 0)
        {
            throw new ArgumentException("IUpdateEncoder.MaxUpdateLength must be positive.", nameof(encoder));
        }

        Registry = registry;
        Encoder = encoder;
        Clock = new EngineClock(timeProvider ?? TimeProvider.System);
        var startEpoch = options.StartEpoch != 0 ? options.StartEpoch : Clock.Provider.GetUtcNow().ToUnixTimeMilliseconds();
        Streams = new SymbolStreamTable(registry, startEpoch, options.HistoryDepth, encoder.MaxUpdateLength);
        Subscribers = new SubscriberTable(registry.Capacity);
        _sequencer = new SequencingStage(Streams, encoder, Clock);
        _fanOut = new FanOutStage(Subscribers, _sequencer);
    }

    /// <summary>The symbols this engine serves.</summary>
    public SymbolRegistry Registry { get; }

    /// <summary>Epoch of locally sequenced streams in this process run.</summary>
    public long StartEpoch => Streams.StartEpoch;

    /// <summary>First ring consumer: sequences ticks, updates LVC and history, encodes once.</summary>
    public IEventHandler<Tick> Sequencing => _sequencer;

    /// <summary>Second ring consumer, gated on <see cref="Sequencing"/>: offers updates to session outboxes.</summary>
    public IEventHandler<Tick> FanOut => _fanOut;

    /// <summary>Ticks sequenced so far.</summary>
    public long TicksSequenced => _sequencer.Sequenced;

    /// <summary>Ticks dropped by the sequencer (unknown symbol, empty kind, upstream redelivery).</summary>
    public long TicksDropped => _sequencer.Dropped;

    /// <summary>Updates offered to outboxes so far.</summary>
    public long UpdatesOffered => _fanOut.Offers;

    internal IUpdateEncoder Encoder { get; }

    internal EngineClock Clock { get; }

    internal SymbolStreamTable Streams { get; }

    internal SubscriberTable Subscribers { get; }

    internal SequencingStage SequencingStage => _sequencer;

    internal FanOutStage FanOutStage => _fanOut;

    /// <summary>
    /// Stages an upstream snapshot (cluster gateways): publish a <see cref="TickKind.StreamReset"/>
    /// tick with the snapshot's symbol id, epoch and seq on the ring afterwards; when the sequencer
    /// reaches it, the snapshot becomes the symbol's LVC and position and subscribers get a reset.
    /// </summary>
    public void StageStreamReset(in SymbolSnapshot snapshot)
    {
        if (snapshot.Epoch <= 0 || snapshot.Seq < 0)
        {
            throw new ArgumentException("A staged stream reset needs a positive epoch and a non-negative seq.", nameof(snapshot));
        }

        Streams.StageReset(in snapshot);
    }

    /// <summary>Creates the outbox of a new session.</summary>
    public SessionOutbox CreateOutbox(OutboxOptions? options = null)
    {
        options ??= new OutboxOptions();
        options.Validate();
        return new SessionOutbox(this, options);
    }

    /// <summary>A consistent copy of a symbol's last-value cache (REST, SSE, admin). False for an unknown id.</summary>
    public bool TryGetSnapshot(int symbolId, out SymbolSnapshot snapshot)
    {
        var stream = Streams.GetOrCreate(symbolId);
        if (stream is null)
        {
            snapshot = default;
            return false;
        }

        stream.ReadSnapshot(out snapshot);
        return true;
    }

    /// <summary>Current stream position of a symbol (epoch and last seq), e.g. for SSE ids. False for an unknown id.</summary>
    public bool TryGetPosition(int symbolId, out StreamPosition position)
    {
        var found = TryGetSnapshot(symbolId, out var snapshot);
        position = new StreamPosition(snapshot.Epoch, snapshot.Seq);
        return found;
    }
}
