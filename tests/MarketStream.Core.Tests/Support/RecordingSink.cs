using System.Runtime.InteropServices;
using MarketStream.Core.Sessions;
using MarketStream.Model;

namespace MarketStream.Core.Tests.Support;

/// <summary>
/// A frame with a byte budget that decodes and records everything appended, as a client would
/// see it. Snapshots count 64 bytes and notices 16 towards the budget.
/// </summary>
internal sealed class RecordingSink : IOutboxSink
{
    private int _used;

    public RecordingSink(int frameBudget = int.MaxValue) => FrameBudget = frameBudget;

    public int FrameBudget { get; set; }

    public int Frame { get; private set; }

    public List<Delivered> Items { get; } = [];

    public void NewFrame()
    {
        Frame++;
        _used = 0;
    }

    /// <summary>Drains frame after frame until the outbox is empty; returns the last status.</summary>
    public DrainStatus DrainAll(SessionOutbox outbox, int maxFrames = 1_000_000)
    {
        for (var i = 0; i < maxFrames; i++)
        {
            var status = outbox.Drain(this);
            NewFrame();
            if (status != DrainStatus.FrameFull)
            {
                return status;
            }
        }

        throw new InvalidOperationException("The outbox never ran empty.");
    }

    public IEnumerable<Delivered> For(int symbolId) => Items.Where(i => i.SymbolId == symbolId);

    public bool TryAppendUpdate(ReadOnlySpan<byte> encodedUpdate)
    {
        if (!Reserve(encodedUpdate.Length))
        {
            return false;
        }

        if (encodedUpdate[0] == TestUpdateEncoder.UpdateTag)
        {
            var tick = MemoryMarshal.Read<Tick>(encodedUpdate[1..]);
            Items.Add(new Delivered(DeliveredKind.Update, tick.SymbolId, tick.Epoch, tick.Seq, tick.Seq, 1, Frame) { Tick = tick, Bytes = encodedUpdate.ToArray() });
        }
        else
        {
            var merged = MemoryMarshal.Read<MergedUpdate>(encodedUpdate[1..]);
            Items.Add(new Delivered(DeliveredKind.Merged, merged.SymbolId, merged.Epoch, merged.FirstSeq, merged.LastSeq, merged.Count, Frame) { Merged = merged });
        }

        return true;
    }

    public bool TryAppendSnapshot(SymbolInfo symbol, in SymbolSnapshot snapshot, ResetCause reset, bool unsolicited)
    {
        if (!Reserve(64))
        {
            return false;
        }

        Items.Add(new Delivered(reset != ResetCause.None ? DeliveredKind.Reset : DeliveredKind.Snapshot, symbol.Id, snapshot.Epoch, snapshot.Seq, snapshot.Seq, 0, Frame) { Snapshot = snapshot, ResetCause = reset, Unsolicited = unsolicited });
        return true;
    }

    public bool TryAppendNotice(in OutboxNotice notice)
    {
        if (!Reserve(16))
        {
            return false;
        }

        Items.Add(new Delivered(DeliveredKind.Notice, notice.SymbolId, notice.Epoch, notice.FirstSeq, notice.LastSeq, 0, Frame) { Notice = notice });
        return true;
    }

    private bool Reserve(int length)
    {
        if (_used + length > FrameBudget && _used > 0)
        {
            return false;
        }

        _used += length;
        return true;
    }
}
