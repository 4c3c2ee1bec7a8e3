using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MarketStream.Core.Engine;
using MarketStream.Model;

namespace MarketStream.Core.Sessions;

/// <summary>
/// One session's subscription to one symbol, and its conflation slot. Referenced from the fan-out
/// table (so an offer needs no lookup) and from the outbox queue. All mutable fields are guarded by
/// the owning outbox's lock.
/// </summary>
/// <remarks>
/// Explicit layout, hot fields first: what every offer reads or writes (outbox, position, flags,
/// the conflation slot's per-fold and quote fields) is one contiguous run of 112 bytes from the
/// first field, so a quote offer touches 2–3 cache lines of the object instead of 3–4. With the
/// runtime's automatic layout the cold longs (rate and lag limits, delivered seq, timestamps) and
/// the stream reference sat between the position fields and the slot, which the runtime places
/// last. Offsets are relative to the first field; references are pointer-aligned and nothing
/// overlaps. Cold fields (drain, subscribe, first fold of a merge) follow the slot.
/// </remarks>
[StructLayout(LayoutKind.Explicit)]
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

    // ---- hot: read or written by every offer (outbox lock) ----
    [field: FieldOffset(0)]
    public SessionOutbox Outbox { get; }

    /// <summary>Epoch the client is in.</summary>
    [FieldOffset(8)]
    public long Epoch;

    /// <summary>Highest seq accepted from fan-out (queued or pending); offers at or below are duplicates.</summary>
    [FieldOffset(16)]
    public long LastOfferedSeq;

    [FieldOffset(24)]
    public int PendingBytes;

    [FieldOffset(28)]
    public DeliveryMode Mode;

    [FieldOffset(29)]
    public SyncState Sync;

    // ---- queue membership (outbox lock) ----
    [FieldOffset(30)]
    public bool Queued;

    [FieldOffset(31)]
    public bool Delayed;

    // ---- conflation slot (outbox lock): its hot fields come first (see MergedUpdate) ----
    [FieldOffset(32)]
    public MergedUpdate Pending;

    // ---- cold: first fold of a merge, drain, (un)subscribe ----
    // 32 + sizeof(MergedUpdate) (144 bytes: no references, sequential) = 176.
    [FieldOffset(176)]
    public long PendingSinceNs;

    [field: FieldOffset(184)]
    public SymbolStream Stream { get; }

    [FieldOffset(192)]
    public long MaxRateNs;

    [FieldOffset(200)]
    public long MaxLagNs;

    /// <summary>Highest seq the client has (snapshot, update or merged range).</summary>
    [FieldOffset(208)]
    public long DeliveredSeq;

    [FieldOffset(216)]
    public long LastSentNs;

    [field: FieldOffset(224)]
    public int SymbolId { get; }

    [FieldOffset(228)]
    public int QueuedFull;

    [FieldOffset(232)]
    public OverflowPolicy Overflow;

    /// <summary>In the fan-out table (guarded by the outbox's control lock, not its lock).</summary>
    [FieldOffset(233)]
    public bool Registered;

    /// <summary>Why the pending <see cref="SyncState.NeedsReset"/> reset is sent.</summary>
    [FieldOffset(234)]
    public ResetCause PendingReset;

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
        // Not PendingSinceNs: only the first fold into an empty slot writes it, and that fold
        // rewrites the whole slot anyway (TickFolding.Fold), so hinting it on every offer is waste.
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

    /// <summary>
    /// Bytes from the first field to the end of the conflation slot, and the offset of the first
    /// field after it: the explicit layout above is only right while the first is at most the second
    /// (a field added to <see cref="MergedUpdate"/> must move the cold fields). Checked by a test.
    /// </summary>
    internal static (int SlotEnd, int NextField) SlotBounds()
    {
        var probe = (Subscription)RuntimeHelpers.GetUninitializedObject(typeof(Subscription));
        ref var origin = ref Unsafe.As<FieldsStart>(probe).First;
        return (End(ref origin, ref probe.Pending), End(ref origin, ref probe.PendingSinceNs) - sizeof(long));
    }

    private static int End<TField>(ref byte origin, ref TField field) =>
        (int)Unsafe.ByteOffset(ref origin, ref Unsafe.As<TField, byte>(ref field)) + Unsafe.SizeOf<TField>();

    // Any object viewed as this type exposes a reference to the first byte of its fields.
    private sealed class FieldsStart
    {
        public byte First;
    }
}
