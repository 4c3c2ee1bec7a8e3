using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MarketStream.Model;

namespace MarketStream.Core.Engine;

/// <summary>
/// Everything the engine keeps for one symbol: its <c>(epoch, seq)</c> counter, the last-value cache
/// and a ring of recent updates with their encoded bytes, shared by every subscriber.
/// </summary>
/// <remarks>
/// <para>Written by the sequencer thread only; read by session threads (snapshot on subscribe,
/// replay on resume, writer loops copying encoded bytes). Why seqlocks and not a lock: the writer is
/// the hot path and must never wait on a reader (a reader could be a slow drain), and reads are
/// short copies that can simply retry. Two granularities, on purpose:</para>
/// <list type="bullet">
/// <item>the LVC has one per-symbol version (odd while writing): a snapshot copy retries if a tick
/// landed meanwhile, which is rare and cheap;</item>
/// <item>each history entry is validated by its own <see cref="HistoryEntry.Seq"/>: a reader copying
/// update N of a hot symbol is not disturbed by updates N+1, N+2…, only by the sequencer lapping the
/// ring and rewriting that very slot, in which case the entry is reported gone.</item>
/// </list>
/// <para>Writer order per tick: invalidate the entry, make the version odd, a write barrier (so no
/// byte write can be seen before the invalidation), write bytes + entry + LVC, then release the
/// entry's seq and the even version. Readers: acquire-read the stamp, copy, read barrier (the
/// copy's loads finish before the next load), re-read the stamp; equal and as expected means the
/// copy is consistent. Neither side needs a full (StoreLoad) fence: the seqlock only orders
/// stores against stores and loads against loads.</para>
/// </remarks>
internal sealed unsafe class SymbolStream
{
    private readonly int _depth;
    private readonly int _mask;
    private readonly int _maxUpdateLength;
    private readonly int _stride;
    private byte[]? _history;
    private int _historyOffset;

    // One slot per history entry: the entry (seqlock stamp, epoch, tick) and then its encoded
    // bytes, _stride apart, each slot starting on a cache line. An append writes one contiguous
    // run (the entry and ~70 encoded bytes: 3 lines) on one page; entries and bytes in two arrays
    // would be 4–5 lines on two pages, and with 1,000 symbols the page-table walks (TLB misses) of
    // those writes and of their prefetches would be most of the sequencer's time.
    // The sequencer addresses slots by raw pointer: the array is pinned (never moves while the
    // field above keeps it alive), and going through the managed array would load its header (a
    // bounds or null check) per tick, a line nothing else on the tick touches.
    private byte* _slotBase;

    // Bytes of this object's fields an Append touches (all of them: ~210 bytes, LVC included),
    // with slack for the runtime's layout, for PrefetchState.
    private const int StateBytes = 256;

    private const int LineSize = 64;

    private SymbolSnapshot _lvc;
    private long _version;

    public SymbolStream(SymbolInfo info, long startEpoch, int historyDepth, int maxUpdateLength)
    {
        Info = info;
        _depth = historyDepth;
        _mask = historyDepth - 1;
        _maxUpdateLength = maxUpdateLength;
        _stride = (sizeof(HistoryEntry) + maxUpdateLength + LineSize - 1) & ~(LineSize - 1);
        _lvc.SymbolId = info.Id;
        _lvc.Epoch = startEpoch;
        SequencerEpoch = startEpoch;
    }

    public SymbolInfo Info { get; }

    public int HistoryDepth => _depth;

    /// <summary>Current epoch as the sequencer thread sees it (sequencer thread only).</summary>
    public long SequencerEpoch { get; private set; }

    /// <summary>Last sequence assigned or accepted (sequencer thread only).</summary>
    public long SequencerLastSeq { get; private set; }

    /// <summary>
    /// Sequencing thread: records a sequenced tick (Epoch, Seq and ServerTimeNs already set) in the
    /// LVC and history and encodes it once. <paramref name="newEpoch"/> restarts the LVC and history.
    /// Returns the encoded length.
    /// </summary>
    public int Append(ref Tick tick, bool newEpoch, IUpdateEncoder encoder)
    {
        if (_slotBase is null)
        {
            AllocateHistory();
        }

        // index ≤ _mask < _depth, and the history holds _depth slots of _stride bytes.
        var index = (int)(tick.Seq & _mask);
        var slot = _slotBase + ((nint)index * _stride);
        ref var entry = ref *(HistoryEntry*)slot;
        var encoded = slot + sizeof(HistoryEntry);

        Volatile.Write(ref entry.Seq, 0);
        var version = _version;
        Volatile.Write(ref _version, version + 1);

        // StoreStore: no write below may become visible before the invalidation above. Not a full
        // fence (Interlocked.MemoryBarrier): that would also wait for every earlier store to reach
        // the cache, i.e. for the previous tick's history-line misses, once per tick.
        // Volatile.WriteBarrier (.NET 10) orders exactly what the seqlock needs: a compiler-only
        // barrier on x64 (stores are not reordered with stores there), a store barrier on Arm64.
        Volatile.WriteBarrier();

        entry.Epoch = tick.Epoch;
        entry.Tick = tick;
        var length = encoder.EncodeUpdate(in tick, new Span<byte>(encoded, _maxUpdateLength));
        entry.Length = length;
        if (newEpoch)
        {
            // An upstream epoch change means the old history may be gone: the LVC restarts with it.
            _lvc = default;
            _lvc.SymbolId = Info.Id;
        }

        TickFolding.Apply(ref _lvc, in tick);
        SequencerEpoch = tick.Epoch;
        SequencerLastSeq = tick.Seq;

        Volatile.Write(ref entry.Seq, tick.Seq);
        Volatile.Write(ref _version, version + 2);
        PrefetchNext(index, length);
        return length;
    }

    /// <summary>
    /// Sequencing thread: restarts the stream at the snapshot's <c>(epoch, seq)</c> with the snapshot
    /// as its LVC (an upstream snapshot after a gap). History entries stay: each is checked by its
    /// own epoch and seq, so the missing range reads as gone and a resume across it becomes a reset.
    /// </summary>
    public void Restart(in SymbolSnapshot snapshot)
    {
        var version = _version;
        Volatile.Write(ref _version, version + 1);
        Volatile.WriteBarrier();
        _lvc = snapshot;
        _lvc.SymbolId = Info.Id;
        SequencerEpoch = snapshot.Epoch;
        SequencerLastSeq = snapshot.Seq;
        Volatile.Write(ref _version, version + 2);
    }

    /// <summary>
    /// Pulls in the history entry and arena bytes this symbol's next update will overwrite. With
    /// many symbols that write comes hundreds of ticks later, and without the hint its lines are
    /// cold: the stores miss and fill the store buffer, and the sequencer stalls behind them. The
    /// next entry is adjacent to this one, so the lines are often already shared.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PrefetchNext(int index, int length)
    {
        var next = (index + 1) & _mask;
        CachePrefetch.Range(ref _slotBase[(nint)next * _stride], sizeof(HistoryEntry) + length);
    }

    /// <summary>
    /// Sequencing thread, a hint a few ticks ahead of this symbol's <see cref="Append"/>: the lines of
    /// this object it reads and writes (counters, history addresses, the LVC). First level of the
    /// sequencer's lookahead: <see cref="PrefetchNextWrite"/> reads these fields.
    /// </summary>
    public void PrefetchState() => CachePrefetch.Object(this, StateBytes);

    /// <summary>
    /// Sequencing thread, a hint a few ticks ahead: the history entry and arena bytes the next
    /// <see cref="Append"/> will write (<paramref name="upstreamSeq"/> as in the tick: 0 = next local seq).
    /// </summary>
    public void PrefetchNextWrite(long upstreamSeq)
    {
        var slotBase = _slotBase;
        if (slotBase is null)
        {
            return;
        }

        // The entry and a typical update's bytes (the slot's first three lines), not the whole
        // slot: the rest is room for the longest update, rarely written.
        var index = (int)((upstreamSeq > 0 ? upstreamSeq : SequencerLastSeq + 1) & _mask);
        CachePrefetch.Range(ref slotBase[(nint)index * _stride], Math.Min(_stride, 3 * LineSize));
    }

    /// <summary>Any thread: a consistent copy of the last-value cache.</summary>
    public void ReadSnapshot(out SymbolSnapshot snapshot)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            var before = Volatile.Read(ref _version);
            if ((before & 1) == 0)
            {
                snapshot = _lvc;
                Volatile.ReadBarrier(); // the copy's loads complete before the re-check (LoadLoad), no full fence
                if (Volatile.Read(ref _version) == before)
                {
                    return;
                }
            }

            spinner.SpinOnce();
        }
    }

    /// <summary>Any thread: copies the shared encoded bytes of update <c>(epoch, seq)</c>; false once the history no longer holds it.</summary>
    public bool TryCopyEncoded(long epoch, long seq, Span<byte> destination, out int length)
    {
        length = 0;
        var history = Volatile.Read(ref _history);
        if (history is null || seq <= 0)
        {
            return false;
        }

        var slot = SlotStart((int)(seq & _mask));
        ref var entry = ref Unsafe.As<byte, HistoryEntry>(ref history[slot]);
        if (Volatile.Read(ref entry.Seq) != seq || entry.Epoch != epoch)
        {
            return false;
        }

        var copied = entry.Length;
        if ((uint)copied > (uint)_maxUpdateLength || copied > destination.Length)
        {
            return false;
        }

        history.AsSpan(slot + sizeof(HistoryEntry), copied).CopyTo(destination);
        Volatile.ReadBarrier(); // the copy's loads complete before the re-check (LoadLoad), no full fence
        if (Volatile.Read(ref entry.Seq) != seq)
        {
            return false;
        }

        length = copied;
        return true;
    }

    /// <summary>Any thread: copies the tick of update <c>(epoch, seq)</c>; false once the history no longer holds it.</summary>
    public bool TryReadTick(long epoch, long seq, out Tick tick)
    {
        tick = default;
        var history = Volatile.Read(ref _history);
        if (history is null || seq <= 0)
        {
            return false;
        }

        ref var entry = ref Unsafe.As<byte, HistoryEntry>(ref history[SlotStart((int)(seq & _mask))]);
        if (Volatile.Read(ref entry.Seq) != seq || entry.Epoch != epoch)
        {
            return false;
        }

        tick = entry.Tick;
        Volatile.ReadBarrier(); // the copy's loads complete before the re-check (LoadLoad), no full fence
        return Volatile.Read(ref entry.Seq) == seq;
    }

    /// <summary>Any thread: folds updates <paramref name="fromSeq"/>..<paramref name="toSeq"/> of one epoch into <paramref name="merged"/>; false if any left the history.</summary>
    public bool TryFold(long epoch, long fromSeq, long toSeq, ref MergedUpdate merged)
    {
        if (fromSeq <= 0 || toSeq < fromSeq || toSeq - fromSeq >= _depth)
        {
            return false;
        }

        for (var seq = fromSeq; seq <= toSeq; seq++)
        {
            if (!TryReadTick(epoch, seq, out var tick))
            {
                return false;
            }

            TickFolding.Fold(ref merged, in tick);
        }

        return true;
    }

    /// <summary>Offset of slot <paramref name="index"/> in the history array (readers; the history is published).</summary>
    private int SlotStart(int index) => _historyOffset + (index * _stride);

    private void AllocateHistory()
    {
        // Lazily, on the symbol's first tick: symbols that never trade cost no history memory.
        // Pinned (see _slotBase), with a line's worth of slack so the first slot can start on a
        // cache-line boundary. The offset is written before the array is published, so a reader
        // that sees the array sees the offset.
        var history = GC.AllocateArray<byte>((_depth * _stride) + LineSize, pinned: true);
        var start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(history));
        _historyOffset = (int)((LineSize - ((nint)start & (LineSize - 1))) & (LineSize - 1));
        _slotBase = start + _historyOffset;

        // Touch every page now: the history's memory is resident from the symbol's first tick
        // instead of creeping up page by page as the ring of entries first wraps (minutes for a
        // slow symbol) — a flat footprint, so a growing RSS means a real leak — and the later
        // appends take no first-write page faults on the sequencer thread.
        for (var i = 0; i < history.Length; i += Environment.SystemPageSize)
        {
            history[i] = 0;
        }

        Volatile.Write(ref _history, history);
    }
}
