using MarketStream.Client;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Client.Tests;

/// <summary>Gap detection (docs/protocol.md §2.4) against a scripted server that skips sequence numbers.</summary>
public sealed class ClientGapTests
{
    private static readonly SymbolInfo Aapl = new(3, "AAPL", 2, 0, "USD", "XNAS");

    [Fact]
    public async Task Stream_WithSkippedSequences_ReportsGapsAndKeepsTheBook()
    {
        await using var server = await ScriptedServer.StartAsync(requestId =>
        {
            var batch = new BatchWriter(64 * 1024);
            batch.TryAppendSnapshot(requestId, Aapl, new SymbolSnapshot { SymbolId = 3, Epoch = 7, Seq = 5, HasQuote = true, BidPrice = 100, AskPrice = 101 });
            batch.TryAppendUpdate(Quote(6, 102));
            batch.TryAppendUpdate(Quote(9, 103)); // 7 and 8 never sent
            batch.TryAppendMerged(new MergedUpdate { SymbolId = 3, Epoch = 7, FirstSeq = 10, LastSeq = 14, Count = 3, HasQuote = true, BidPrice = 104, AskPrice = 105 }); // 2 of 10..14 missing
            batch.TryAppendMerged(new MergedUpdate { SymbolId = 3, Epoch = 7, FirstSeq = 15, LastSeq = 16, Count = 2, HasQuote = true, BidPrice = 106, AskPrice = 107 }); // plain conflation
            return [ScriptedServer.Encode(new SubscribeAckMessage(requestId, SubscriptionMode.Conflated, [Aapl])), batch.Complete().ToArray()];
        });
        await using var client = new MarketStreamClient(new MarketStreamClientOptions { Url = server.WebSocketUri });
        await client.ConnectAsync(TestContext.Current.CancellationToken);
        await client.SubscribeAsync(["AAPL"], cancellationToken: TestContext.Current.CancellationToken);

        var events = await ReadUntilSeqAsync(client, 16);
        var market = events.Where(e => e.Symbol is not null).Select(e => (e.Kind, e.FirstSeq, e.Seq, e.Count)).ToList();
        Assert.Equal(
            [
                (MarketEventKind.Snapshot, 5L, 5L, 0),
                (MarketEventKind.Update, 6L, 6L, 1),
                (MarketEventKind.Gap, 7L, 8L, 2),
                (MarketEventKind.Update, 9L, 9L, 1),
                (MarketEventKind.Gap, 10L, 14L, 2),
                (MarketEventKind.Merged, 10L, 14L, 3),
                (MarketEventKind.Merged, 15L, 16L, 2),
            ],
            market);
        Assert.True(client.Book.TryGet("AAPL", out _, out var state));
        Assert.Equal((7L, 16L, 106L, 107L), (state.Epoch, state.Seq, state.BidPrice, state.AskPrice));
    }

    private static Tick Quote(long seq, long bid) => new() { SymbolId = 3, Epoch = 7, Seq = seq, Kind = TickKind.Quote, BidPrice = bid, AskPrice = bid + 1 };

    private static async Task<List<MarketEvent>> ReadUntilSeqAsync(MarketStreamClient client, long seq) =>
        await ClientKit.ReadUntilAsync(client, e => e.Symbol is not null && e.Kind != MarketEventKind.Gap && e.Seq >= seq);
}
