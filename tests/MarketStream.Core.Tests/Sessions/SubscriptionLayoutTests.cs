using MarketStream.Core.Sessions;
using MarketStream.Model;

namespace MarketStream.Core.Tests.Sessions;

public class SubscriptionLayoutTests
{
    [Fact]
    public void SlotBounds_ExplicitLayout_ConflationSlotDoesNotOverlapTheFieldsAfterIt()
    {
        // Subscription's explicit layout fixes the cold fields' offsets after the conflation slot;
        // a field added to MergedUpdate would silently overlap them (no load error for non-references).
        var (slotEnd, nextField) = Subscription.SlotBounds();

        Assert.True(slotEnd <= nextField, $"MergedUpdate ends at {slotEnd}, the next field starts at {nextField}: move the cold fields.");
    }

    [Fact]
    public void OfferBytes_QuoteAndTrade_StayWithinTheHotRun()
    {
        // The point of the layout: a quote offer's fields are one run of at most 112 bytes (two or
        // three cache lines wherever the object lands), a trade offer's at most 152.
        Assert.InRange(Subscription.QuoteOfferBytes, 1, 112);
        Assert.InRange(Subscription.TradeOfferBytes, Subscription.QuoteOfferBytes, 152);
    }
}
