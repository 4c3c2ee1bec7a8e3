using System.Runtime.CompilerServices;
using MarketStream.Core.Engine;
using MarketStream.Core.Market;

namespace MarketStream.Core.Sessions;

/// <summary>
/// One session's subscription to one symbol, and its conflation slot. Referenced from the fan-out
/// table (so an offer needs no lookup) and from the outbox queue. All mutable fields are guarded by
/// the owning outbox's lock.
/// </summary>
internal sealed class Subscription
{
    public Subscription(SessionOutbox outbox, SymbolStream stream)
    {
        Outbox = outbox;
        Stream = stream;
        SymbolId = stream.Info.Id;
    }

    /// <summary>
    /// Bytes of this object's fields, from the first, that a conflated quote offer reads or writes
    /// (references, position, flags and the conflation slot up to its quote fields), for
    /// <see cref="CachePrefetch"/>. Measured from the runtime's actual field layout, so it stays
    /// right if fields move; <see cref="MergedUpdate"/> declares its hot fields first to keep it small.
    /// </summary>
    public static readonly int QuoteOfferBytes = OfferExtent(quote: true);

    /// <summary>As <see cref="QuoteOfferBytes"/> for a trade offer (the slot's trade aggregates too).</summary>
    public static readonly int TradeOfferBytes = OfferExtent(quote: false);

    public SessionOutbox Outbox { get; }

    public SymbolStream Stream { get; }

    public int SymbolId { get; }

    // ---- configuration (outbox lock) ----
    public DeliveryMode Mode;
    public OverflowPolicy Overflow;
    public long MaxRateNs;
    public long MaxLagNs;

    // ---- stream position (outbox lock) ----
    public SyncState Sync;

    /// <summary>Epoch the client is in.</summary>
    public long Epoch;

    /// <summary>Highest seq the client has (snapshot, update or merged range).</summary>
    public long DeliveredSeq;

    /// <summary>Highest seq accepted from fan-out (queued or pending); offers at or below are duplicates.</summary>
    public long LastOfferedSeq;

    // ---- conflation slot (outbox lock) ----
    public MergedUpdate Pending;
    public long PendingSinceNs;
    public int PendingBytes;
    public long LastSentNs;

    // ---- queue membership (outbox lock) ----
    public bool Queued;
    public bool Delayed;
    /// <summary>In the fan-out table (guarded by the outbox's control lock, not its lock).</summary>
    public bool Registered;
    public int QueuedFull;

    public bool IsSubscribed => Sync != SyncState.Removed;

    /// <summary>Prefetch extent for an offer of <paramref name="kind"/>.</summary>
    public static int OfferBytes(TickKind kind) => kind == TickKind.Quote ? QuoteOfferBytes : TradeOfferBytes;

    private static int OfferExtent(bool quote)
    {
        // An uninitialised instance is enough to read field offsets (no constructor runs).
        var probe = (Subscription)RuntimeHelpers.GetUninitializedObject(typeof(Subscription));
        ref var origin = ref Unsafe.As<FieldsStart>(probe).First;
        var end = 0;
        end = Math.Max(end, End(ref origin, ref probe.Sync));
        end = Math.Max(end, End(ref origin, ref probe.Mode));
        end = Math.Max(end, End(ref origin, ref probe.Queued));
        end = Math.Max(end, End(ref origin, ref probe.Delayed));
        end = Math.Max(end, End(ref origin, ref probe.Epoch));
        end = Math.Max(end, End(ref origin, ref probe.LastOfferedSeq));
        end = Math.Max(end, End(ref origin, ref probe.PendingSinceNs));
        end = Math.Max(end, End(ref origin, ref probe.PendingBytes));
        end = Math.Max(end, End(ref origin, ref probe.Pending.AskSize));
        end = Math.Max(end, End(ref origin, ref probe.Pending.HasQuote));
        end = Math.Max(end, End(ref origin, ref probe.Pending.ServerTimeNs));
        if (!quote)
        {
            end = Math.Max(end, End(ref origin, ref probe.Pending.Low));
            end = Math.Max(end, End(ref origin, ref probe.Pending.Volume));
            end = Math.Max(end, End(ref origin, ref probe.Pending.LastSide));
        }

        return end;
    }

    private static int End<TField>(ref byte origin, ref TField field) =>
        (int)Unsafe.ByteOffset(ref origin, ref Unsafe.As<TField, byte>(ref field)) + Unsafe.SizeOf<TField>();

    // Any object viewed as this type exposes a reference to the first byte of its fields.
    private sealed class FieldsStart
    {
        public byte First;
    }
}
