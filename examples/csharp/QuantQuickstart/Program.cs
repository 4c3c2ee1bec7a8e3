using MarketStream.Client;
using MarketStream.Model;
using MarketStream.Protocol;

var url = Environment.GetEnvironmentVariable("MARKETSTREAM_URL") ?? "ws://127.0.0.1:5080/ws";
await using var client = new MarketStreamClient(new() { Url = new Uri(url) });
await client.ConnectAsync();
await client.SubscribeAsync(["AAPL", "MSFT"], SubscriptionMode.Full);
await foreach (var e in client.ReadEventsAsync())
{
    if (e.Kind is MarketEventKind.Snapshot or MarketEventKind.Update or MarketEventKind.Merged)
        Console.WriteLine($"{e.Kind} {e.Symbol!.Name} seq {e.Seq} bid {FixedPoint.ToDecimal(e.State.BidPrice, e.Symbol.PriceScale)}");
    else if (e.Kind is MarketEventKind.Gap or MarketEventKind.Reset or MarketEventKind.Disconnected)
        Console.WriteLine($"{e.Kind}: {e}");
}
