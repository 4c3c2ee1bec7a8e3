using MarketStream.Client;
using MarketStream.Testing;
using MarketStream.Protocol;

namespace MarketStream.Client.Tests;

public sealed class ClientStreamingTests
{
    [Fact]
    public async Task Subscribe_ReceivesSnapshotThenContiguousUpdates()
    {
        await using var server = await GatewayServer.StartAsync();
        await using var client = await ClientKit.ConnectAsync(server);
        var subscription = await client.SubscribeAsync(["AAPL", "MSFT"], SubscriptionMode.Full, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["AAPL", "MSFT"], subscription.Symbols.Select(s => s.Name).Order());

        var events = await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Update, count: 20);
        var check = StreamOrder.Check(events);
        Assert.Empty(check.Violations);
        Assert.Equal(0, check.Gaps);
        Assert.True(check.Updates >= 20);
        Assert.True(client.Book.TryGet("AAPL", out var info, out var state));
        Assert.Equal("AAPL", info!.Name);
        Assert.True(state.Seq >= check.LastSeq["AAPL"]);
    }
}
