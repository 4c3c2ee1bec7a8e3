using MarketStream.Core.Sessions;
using MarketStream.Core.Tests.Support;
using MarketStream.Model;

namespace MarketStream.Core.Tests.Engine;

/// <summary>
/// The StreamReset tick cluster gateways use after an upstream gap: the staged snapshot becomes the
/// symbol's LVC and position, live subscribers get a reset, and a resume across the gap is a reset.
/// </summary>
public class StreamResetTests
{
    private static readonly SubscriptionOptions Full = new(DeliveryMode.Full, 0);

    [Fact]
    public void StreamReset_AfterGap_InstallsSnapshotAndSubscriberGetsResetThenContinues()
    {
        var h = new EngineHarness();
        PublishUpstream(h, 900, 1, 100);
        var outbox = h.Outbox();
        outbox.Subscribe(0, Full);
        var sink = new RecordingSink();
        sink.DrainAll(outbox);
        PublishUpstream(h, 900, 2, 101);
        sink.DrainAll(outbox);

        // Seqs 3..9 never arrived; the upstream LVC at 9 is installed instead.
        var snapshot = new SymbolSnapshot { SymbolId = 0, Epoch = 900, Seq = 9, HasTrade = true, LastPrice = 555, Volume = 42, TradeCount = 9 };
        h.Engine.StageStreamReset(in snapshot);
        var marker = h.Publish(new Tick { Kind = TickKind.StreamReset, SymbolId = 0, Epoch = 900, Seq = 9 });
        sink.DrainAll(outbox);
        PublishUpstream(h, 900, 10, 102);
        sink.DrainAll(outbox);

        Assert.Equal(TickKind.StreamReset, marker.Kind);
        h.Engine.TryGetSnapshot(0, out var lvc);
        Assert.Equal((900L, 10L, 42L, 102L), (lvc.Epoch, lvc.Seq, lvc.Volume, lvc.BidPrice));
        Assert.Equal(
            [(DeliveredKind.Snapshot, 1L), (DeliveredKind.Update, 2L), (DeliveredKind.Reset, 9L), (DeliveredKind.Update, 10L)],
            sink.Items.Select(i => (i.Kind, i.LastSeq)));
        Assert.Equal(555, sink.Items[2].Snapshot.LastPrice);
    }

    [Fact]
    public void StreamReset_ResumeFromBeforeTheGap_IsAResetNotASilentSkip()
    {
        var h = new EngineHarness();
        PublishUpstream(h, 900, 1, 100);
        PublishUpstream(h, 900, 2, 101);
        h.Engine.StageStreamReset(new SymbolSnapshot { SymbolId = 0, Epoch = 900, Seq = 9 });
        h.Publish(new Tick { Kind = TickKind.StreamReset, SymbolId = 0, Epoch = 900, Seq = 9 });
        PublishUpstream(h, 900, 10, 102);

        var outbox = h.Outbox();
        outbox.Subscribe(0, Full, new StreamPosition(900, 2));
        var sink = new RecordingSink();
        sink.DrainAll(outbox);

        Assert.Equal(DeliveredKind.Reset, sink.Items[0].Kind);
        Assert.Equal(10, sink.Items[0].LastSeq);
    }

    [Fact]
    public void StreamReset_WithoutStagedSnapshot_IsDroppedAndChangesNothing()
    {
        var h = new EngineHarness();
        PublishUpstream(h, 900, 1, 100);
        var marker = h.Publish(new Tick { Kind = TickKind.StreamReset, SymbolId = 0, Epoch = 900, Seq = 9 });

        Assert.Equal(TickKind.None, marker.Kind);
        h.Engine.TryGetSnapshot(0, out var lvc);
        Assert.Equal((900L, 1L), (lvc.Epoch, lvc.Seq));
        Assert.Equal(1, h.Engine.TicksDropped);
    }

    private static void PublishUpstream(EngineHarness h, long epoch, long seq, long bid)
    {
        var tick = EngineHarness.Quote(0, bid, bid + 1);
        tick.Epoch = epoch;
        tick.Seq = seq;
        h.Publish(tick);
    }
}
