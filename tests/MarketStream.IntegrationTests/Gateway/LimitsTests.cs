using System.Net.WebSockets;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using static MarketStream.IntegrationTests.Gateway.GatewayTestKit;

namespace MarketStream.IntegrationTests.Gateway;

/// <summary>docs/protocol.md §5–§7: every limit and every kind of bad input gets its documented code, and nothing else is affected.</summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task MessageOverMaxInboundBytes_Closed1009()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["MarketStream:Gateway:MaxInboundMessageBytes"] = "256" });
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        await client.SendRawAsync(new byte[1000]);

        Assert.Equal((int)CloseCode.MessageTooBig, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task TextFrame_Error1011ThenClosed1003()
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        await client.SendRawAsync("{\"subscribe\":\"AAPL\"}"u8.ToArray(), WebSocketMessageType.Text);

        var error = await client.ExpectAsync<ErrorMessage>();
        Assert.Equal(ErrorCode.TextFrameNotSupported, error.Code);
        Assert.Equal((int)CloseCode.UnsupportedData, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task InboundFlood_Error3001ThenClosed4004()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:MaxInboundMessagesPerSecond"] = "5",
            ["MarketStream:Gateway:InboundBurst"] = "5",
        });
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        for (var i = 1; i <= 30; i++)
        {
            await client.SendAsync(new PingRequest(i, i));
        }

        var pongs = 0;
        var rateErrors = 0;
        try
        {
            while (true)
            {
                var m = await client.NextAsync();
                pongs += m.Body is PongMessage ? 1 : 0;
                rateErrors += m.Body is ErrorMessage { Code: ErrorCode.RateLimited } ? 1 : 0;
            }
        }
        catch (InvalidOperationException)
        {
            // Closed.
        }

        Assert.InRange(pongs, 5, 6);
        Assert.Equal(1, rateErrors);
        Assert.Equal((int)CloseCode.RateLimited, client.CloseCode);
    }

    [Fact]
    public async Task SubscriptionAndSymbolLimits_Errors3000And3002_DuplicateId1009_UnknownUnsubscribe1010()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:MaxSubscriptionsPerConnection"] = "2",
            ["MarketStream:Gateway:MaxSymbolsPerConnection"] = "3",
        });
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        await client.SendAsync(Subscribe(1, "EUR*"));
        Assert.Equal(ErrorCode.TooManySymbols, (await ExpectErrorAsync(client, 1)).Code);
        await SubscribeAsync(client, Subscribe(2, "AAPL"));
        await client.SendAsync(Subscribe(2, "MSFT"));
        Assert.Equal(ErrorCode.DuplicateSubscription, (await ExpectErrorAsync(client, 2)).Code);
        await SubscribeAsync(client, Subscribe(3, "MSFT"));
        await client.SendAsync(Subscribe(4, "EURUSD"));
        Assert.Equal(ErrorCode.TooManySubscriptions, (await ExpectErrorAsync(client, 4)).Code);
        await client.SendAsync(new UnsubscribeRequest(5, 99));
        Assert.Equal(ErrorCode.UnknownSubscription, (await ExpectErrorAsync(client, 5)).Code);

        // After freeing one, the same request succeeds: limits count active subscriptions only.
        await client.SendAsync(new UnsubscribeRequest(6, 2));
        await client.ExpectAsync<UnsubscribeAckMessage>();
        await SubscribeAsync(client, Subscribe(7, "EURUSD"));
    }

    [Fact]
    public async Task BadSymbolsAndPatterns_Errors1006_1007_1008()
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        await client.SendAsync(Subscribe(1, "NOSUCH"));
        Assert.Equal(ErrorCode.UnknownSymbol, (await ExpectErrorAsync(client, 1)).Code);
        await client.SendAsync(Subscribe(2, "EUR?"));
        Assert.Equal(ErrorCode.InvalidPattern, (await ExpectErrorAsync(client, 2)).Code);
        await client.SendAsync(Subscribe(3, "ZZZ*"));
        Assert.Equal(ErrorCode.UnknownSymbol, (await ExpectErrorAsync(client, 3)).Code);
        await client.SendAsync(Subscribe(4, "BAD SYMBOL"));
        var bad = await ExpectErrorAsync(client, 4);
        Assert.Contains(bad.Code, new[] { ErrorCode.InvalidSymbol, ErrorCode.InvalidPattern });
    }

    [Fact]
    public async Task SuffixGlob_SubscribesExactlyTheMatchingSymbols()
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        var ack = await SubscribeAsync(client, new SubscribeRequest(7, ["*USD"], SubscriptionMode.Conflated, 0, 0, []));

        Assert.NotEmpty(ack.Symbols);
        Assert.All(ack.Symbols, s => Assert.EndsWith("USD", s.Name, StringComparison.Ordinal));
        Assert.Contains(ack.Symbols, s => s.Name == "EURUSD");
    }

    [Theory]
    [InlineData("98 02 09 91 a4 41 41 50 4c 00 00 00 90 91 92 03 0a", 9)] // Subscribe AAPL, channels [[3, 10]] (book)
    [InlineData("99 02 0b 91 a4 41 41 50 4c 01 00 00 90 92 92 02 00 92 03 0a 92 cf 18 86 72 51 ed fa 00 00 00", 11)] // Subscribe with replay (§2.6)
    [InlineData("94 04 0c a4 41 41 50 4c 03", 12)] // SnapshotRequest for the book channel
    public async Task ChannelRequest_NotServed_Error1002_NoStreamInstead(string hex, long requestId)
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        await client.SendRawAsync(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));

        var error = await ExpectErrorAsync(client, requestId);
        Assert.Equal(ErrorCode.InvalidField, error.Code);
        // Nothing was subscribed in its place: the session answers a ping and streams nothing.
        await client.SendAsync(new PingRequest(8, 1));
        var next = await client.NextNonHeartbeatAsync();
        Assert.Equal(MessageType.Pong, next.Type);
        var after = await client.ReadForAsync(TimeSpan.FromMilliseconds(500));
        Assert.DoesNotContain(after, m => m.Type is MessageType.SubscribeAck or MessageType.Snapshot or MessageType.Update or MessageType.Merged);
    }

    [Fact]
    public async Task MalformedMessagePack_Error1000_SessionStaysUsable()
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        await client.SendRawAsync(new byte[] { 0xc1 });
        var error = await client.ExpectAsync<ErrorMessage>();
        Assert.Equal(ErrorCode.MalformedMessage, error.Code);
        Assert.Equal(0, error.RequestId);

        await client.SendRawAsync(new byte[] { 0x93, 0x63, 0x01, 0x01 });
        Assert.Equal(ErrorCode.UnknownMessageType, (await client.ExpectAsync<ErrorMessage>()).Code);

        await client.SendAsync(new PingRequest(8, 1));
        Assert.Equal(8, (await client.ExpectAsync<PongMessage>()).RequestId);
        await SubscribeAsync(client, Subscribe(9, "AAPL"));
    }

    [Fact]
    public async Task RepeatedMalformed_Closed1008()
    {
        await using var server = await GatewayServer.StartAsync();
        var (client, _) = await ConnectAsync(server);
        await using var _ = client;

        for (var i = 0; i < 12; i++)
        {
            await client.SendRawAsync(new byte[] { 0xc1 });
        }

        Assert.Equal((int)CloseCode.PolicyViolation, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task ConnectionsPerAddress_OverLimit_Closed4003_OthersUnaffected()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["MarketStream:Gateway:MaxConnectionsPerAddress"] = "2" });
        var (a, _) = await ConnectAsync(server);
        var (b, _) = await ConnectAsync(server);
        await using var _a = a;
        await using var _b = b;

        await using var c = await ProtocolClient.ConnectAsync(server.WebSocketUri);
        Assert.Equal((int)CloseCode.TooManyConnections, await c.WaitForCloseAsync());

        await a.SendAsync(new PingRequest(1, 1));
        Assert.Equal(1, (await a.ExpectAsync<PongMessage>()).RequestId);

        // The refused connection released nothing it did not hold; closing one frees a place.
        await b.DisposeAsync();
        var limiter = (MarketStream.Server.Gateway.ConnectionLimiter)server.Services.GetService(typeof(MarketStream.Server.Gateway.ConnectionLimiter))!;
        await Eventually.TrueAsync(() => limiter.ForAddress(System.Net.IPAddress.Loopback) == 1, "the closed connection's place is released");
        var (d, welcome) = await ConnectAsync(server);
        await using var _d = d;
        Assert.False(string.IsNullOrEmpty(welcome.SessionId));
    }

    [Fact]
    public async Task HealthyClient_AlongsideMisbehavingOnes_SeesNoGapAndSteadyHeartbeats()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["MarketStream:Gateway:MaxInboundMessageBytes"] = "1024" });
        var (healthy, _) = await ConnectAsync(server);
        await using var _h = healthy;
        await SubscribeAsync(healthy, SubscribeFull(1, "EURUSD", "AAPL", "BTCUSD"));

        var abuse = Task.Run(async () =>
        {
            var random = new Random(7);
            for (var round = 0; round < 6; round++)
            {
                var (bad, _) = await ConnectAsync(server);
                await using var _b = bad;
                var garbage = new byte[random.Next(1, 64)];
                random.NextBytes(garbage);
                switch (round % 3)
                {
                    case 0:
                        for (var i = 0; i < 20; i++)
                        {
                            await bad.SendRawAsync(garbage);
                        }

                        break;
                    case 1:
                        await bad.SendRawAsync(new byte[4096]);
                        break;
                    default:
                        await bad.SendRawAsync("nope"u8.ToArray(), WebSocketMessageType.Text);
                        break;
                }

                await bad.WaitForCloseAsync(TimeSpan.FromSeconds(2));
            }
        }, TestContext.Current.CancellationToken);

        var messages = new List<(DateTime At, ServerMessage Message)>();
        var until = DateTime.UtcNow.AddSeconds(2);
        while (DateTime.UtcNow < until)
        {
            messages.Add((DateTime.UtcNow, await healthy.NextAsync()));
        }

        await abuse;
        var check = CheckStream(messages.Select(m => m.Message));
        Assert.Equal(0, check.Merged);
        Assert.True(check.Updates > 10);
        var beats = messages.Where(m => m.Message.Type == MessageType.Heartbeat).Select(m => m.At).ToList();
        Assert.True(beats.Count >= 5, $"only {beats.Count} heartbeats in 2 s at 200 ms");
        Assert.All(beats.Zip(beats.Skip(1)), pair => Assert.True(pair.Second - pair.First < TimeSpan.FromMilliseconds(1000), $"heartbeat gap {pair.Second - pair.First}"));
    }
}
