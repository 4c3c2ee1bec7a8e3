using MarketStream.Core.Sessions;
using MarketStream.Core.Symbols;
using MarketStream.Protocol;
using MarketStream.Server.Gateway;

namespace MarketStream.Server.Tests.Gateway;

public sealed class SessionSubscriptionsTests
{
    [Theory]
    [InlineData("EURUSD", new[] { "EUR*" }, true)]
    [InlineData("EURG*", new[] { "EUR*" }, true)]
    [InlineData("E*", new[] { "EUR*" }, false)]
    [InlineData("*", new[] { "EUR*", "AAPL" }, false)]
    [InlineData("*", new[] { "*" }, true)]
    [InlineData("AAPL", new[] { "AAPL" }, true)]
    [InlineData("AAP*", new[] { "AAPL" }, false)]
    [InlineData("MSFT", new[] { "AAPL", "EUR*" }, false)]
    public void IsEntitled_GrantMustCoverEverythingRequested(string requested, string[] granted, bool expected)
    {
        var grants = granted.Select(SymbolPattern.Parse).ToArray();

        Assert.Equal(expected, GatewaySession.IsEntitled(SymbolPattern.Parse(requested), grants));
    }

    [Fact]
    public void Remove_SymbolStaysWhileAnotherSubscriptionCoversIt_OwnershipPasses()
    {
        var table = new SessionSubscriptions();
        var first = New(1);
        var second = New(2);
        table.Add(first);
        table.Add(second);
        Assert.True(table.Cover(first, 7));
        Assert.False(table.Cover(second, 7));
        Assert.True(table.Cover(second, 8));
        var released = new List<int>();
        var reowned = new List<int>();

        table.Remove(first, released, reowned);

        Assert.Empty(released);
        Assert.Equal([7], reowned);
        Assert.Equal(2, table.OwnerOf(7));
        table.Remove(second, released, reowned);
        Assert.Equal([7, 8], released.Order());
        Assert.Equal(0, table.SymbolCount);
    }

    [Fact]
    public void TakeRequestId_AnswersOnceThenZero()
    {
        var table = new SessionSubscriptions();
        var sub = New(5);
        table.Add(sub);
        table.Cover(sub, 3);
        table.ExpectSnapshot(3, 5);
        Assert.Equal(1, table.PendingRequests);

        Assert.Equal(5, table.TakeRequestId(3));
        Assert.Equal(0, table.TakeRequestId(3));
        Assert.Equal(0, table.PendingRequests);
    }

    private static SessionSubscription New(long id) => new(id, [SymbolPattern.Parse("*")], new SubscriptionOptions(), SubscriptionMode.Conflated);
}
