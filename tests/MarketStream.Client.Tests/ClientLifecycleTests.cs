using System.Net.Http.Json;
using System.Text.Json;
using MarketStream.Client;
using MarketStream.Testing;
using MarketStream.Protocol;

namespace MarketStream.Client.Tests;

/// <summary>Slow consumers, cancellation, disposal and refusals.</summary>
public sealed class ClientLifecycleTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SlowConsumer_GetsMergedUpdatesWithoutGaps()
    {
        // Small buffers on both ends, so a consumer that stops reading backs the server up within KiBs.
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(2000, "AAPL", "MSFT", "EURUSD", "GBPUSD"), smallSendBuffers: true);
        await using var client = await ClientKit.ConnectAsync(server, o =>
        {
            o.EventCapacity = 16;
            o.ReceiveBufferBytes = 4096;
        });
        await client.SubscribeAsync(["AAPL", "MSFT", "EURUSD", "GBPUSD"], cancellationToken: Cancel);

        await Task.Delay(1500, Cancel); // the consumer is busy elsewhere
        var events = await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Merged && e.Count > 1, count: 20);

        var check = StreamOrder.Check(events);
        Assert.Empty(check.Violations);
        Assert.Equal(0, check.Gaps);
        Assert.True(check.MergedUpdates > check.Merged, "merged events should fold several updates each");
        Assert.True(client.BackpressureWaits > 0);
        Assert.DoesNotContain(events, e => e.Kind == MarketEventKind.Disconnected);
    }

    [Fact]
    public async Task Dispose_ClosesSessionAndEndsBackgroundWork()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(500, "AAPL", "MSFT"));
        var client = await ClientKit.ConnectAsync(server);
        await client.SubscribeAsync(["AAPL", "MSFT"], cancellationToken: Cancel);
        await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Update, count: 5);
        Assert.Equal(1, await OpenSessionsAsync(server));

        var background = client.BackgroundTask!;
        await client.DisposeAsync();

        Assert.True(background.IsCompletedSuccessfully, $"background task: {background.Status}");
        while (client.Events.TryRead(out _))
        {
            // Events decoded before the close stay readable; after them the channel is complete.
        }

        Assert.True(client.Events.Completion.IsCompletedSuccessfully);
        await WaitForAsync(async () => await OpenSessionsAsync(server) == 0);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SubscribeAsync(["AAPL"], cancellationToken: Cancel));
    }

    [Fact]
    public async Task Dispose_WhileReconnecting_EndsPromptly()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(100, "AAPL"));
        await using var proxy = new TcpCutProxy(server.WebSocketUri);
        var client = new MarketStreamClient(ClientKit.Options(server, o =>
        {
            o.Url = proxy.WebSocketUri;
            o.ReconnectMinDelay = TimeSpan.FromSeconds(5);
            o.ReconnectMaxDelay = TimeSpan.FromSeconds(5);
        }));
        await client.ConnectAsync(Cancel);
        proxy.Refusing = true;
        proxy.DropAll();
        await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Disconnected);

        var background = client.BackgroundTask!;
        var started = DateTime.UtcNow;
        await client.DisposeAsync();

        Assert.True(background.IsCompleted);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4), "disposal waited for the backoff");
    }

    [Fact]
    public async Task Subscribe_Cancelled_WithdrawsAndLeavesNoSubscription()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(100, "AAPL"));
        await using var client = await ClientKit.ConnectAsync(server);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SubscribeAsync(["AAPL"], cancellationToken: cancelled.Token));

        Assert.Empty(client.Subscriptions);
        var ok = await client.SubscribeAsync(["MSFT"], cancellationToken: Cancel);
        Assert.Equal("MSFT", Assert.Single(ok.Symbols).Name);
    }

    [Fact]
    public async Task Subscribe_UnknownSymbol_ThrowsWithServerCode()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(100, "AAPL"));
        await using var client = await ClientKit.ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<MarketStreamException>(() => client.SubscribeAsync(["NOPE"], cancellationToken: Cancel));

        Assert.Equal(ErrorCode.UnknownSymbol, ex.ErrorCode);
        Assert.Empty(client.Subscriptions);
    }

    [Fact]
    public async Task Unsubscribe_StopsUpdatesAndDropsSymbolsFromBook()
    {
        await using var server = await GatewayServer.StartAsync(ClientKit.Feed(400, "AAPL", "MSFT"));
        await using var client = await ClientKit.ConnectAsync(server);
        var aapl = await client.SubscribeAsync(["AAPL"], cancellationToken: Cancel);
        await client.SubscribeAsync(["MSFT"], cancellationToken: Cancel);
        await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Update && e.Symbol!.Name == "AAPL");

        await client.UnsubscribeAsync(aapl.Id, Cancel);
        var marker = await client.PingAsync(Cancel); // everything queued before the ack has been decoded by now
        var after = await ClientKit.ReadUntilAsync(client, e => e.Kind == MarketEventKind.Update && e.Symbol!.Name == "MSFT", count: 20);

        Assert.True(marker > TimeSpan.Zero);
        Assert.False(client.Book.TryGet("AAPL", out _, out _));
        Assert.True(client.Book.TryGet("MSFT", out _, out _));
        var lastAapl = after.FindLastIndex(e => e.Symbol?.Name == "AAPL");
        var firstMsftAfter = after.FindIndex(e => e.Symbol?.Name == "MSFT");
        Assert.True(lastAapl < after.Count - 10, "AAPL updates kept coming after the unsubscribe");
        Assert.True(firstMsftAfter >= 0);
    }

    [Fact]
    public async Task Connect_WithInvalidToken_FailsWith401()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Auth:Mode"] = "Required",
            ["MarketStream:Auth:SigningKey"] = "bWFya2V0c3RyZWFtLWNsaWVudC10ZXN0cy1rZXktMzJieXRlcyEhIQ==",
            ["MarketStream:Auth:DevTokenEndpoint"] = "false",
        });
        await using var client = new MarketStreamClient(ClientKit.Options(server, o => o.Token = "not.a.jwt"));

        var ex = await Assert.ThrowsAsync<MarketStreamException>(() => client.ConnectAsync(Cancel));

        Assert.Equal(401, ex.HttpStatus);
        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_NothingListening_FailsClearly()
    {
        await using var client = new MarketStreamClient(new MarketStreamClientOptions { Url = new Uri("ws://127.0.0.1:9/ws"), ConnectTimeout = TimeSpan.FromSeconds(2) });

        var ex = await Assert.ThrowsAsync<MarketStreamException>(() => client.ConnectAsync(Cancel));

        Assert.Contains("cannot connect", ex.Message, StringComparison.Ordinal);
        Assert.Null(client.BackgroundTask);
    }

    private static async Task<int> OpenSessionsAsync(RunningServer server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var sessions = await http.GetFromJsonAsync<JsonElement>("api/sessions", Cancel);
        return sessions.GetArrayLength();
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + ClientKit.Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not met in time");
            await Task.Delay(50, Cancel);
        }
    }
}
