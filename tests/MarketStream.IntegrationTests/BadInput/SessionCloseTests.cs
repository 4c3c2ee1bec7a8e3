using System.Net.WebSockets;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;

namespace MarketStream.IntegrationTests.BadInput;

/// <summary>
/// docs/protocol.md §6–§7 and docs/operations.md (Limits): input that ends the attacker's session with a
/// documented close code, logged once; legal fragmentation keeps working. The healthy client is unaffected.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class SessionCloseTests(BadInputServer fixture)
{
    private const int MaxInboundBytes = 65_536; // GatewayOptions.MaxInboundMessageBytes default, announced in Welcome

    [Fact]
    public async Task OversizedMessage_Closed1009_LoggedOnce()
    {
        var since = HealthyClientMonitor.Now;
        var (attacker, sessionId) = await fixture.ConnectAsync();
        await using var _ = attacker;

        await attacker.SendRawAsync(new byte[MaxInboundBytes + 1]);

        Assert.Equal((int)CloseCode.MessageTooBig, await attacker.WaitForCloseAsync());
        await fixture.AssertLoggedOnceAsync(106, sessionId, "MessageTooBig");
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    [Fact]
    public async Task LegalFragmentation_PingInThreeFragments_Answered_NothingLogged()
    {
        var since = HealthyClientMonitor.Now;
        var (client, sessionId) = await fixture.ConnectAsync();
        await using var _ = client;
        var ping = MalformedMessageTests.Hex("93 05 07 ce 07 5b cd 15"); // [5,7,123456789]

        await SendFragmentsAsync(client, [ping[..1], ping[1..4], ping[4..]]);

        var pong = await client.ExpectAsync<PongMessage>();
        Assert.Equal(7, pong.RequestId);
        Assert.Equal(123456789, pong.ClientTimeNs);
        await BadInputServer.AssertStillServedAsync(client);
        Assert.Empty(fixture.Logs.Find(104, "SessionId", sessionId));
        Assert.Empty(fixture.Logs.Find(130, "SessionId", sessionId));
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    [Fact]
    public async Task FragmentsTogetherOverTheLimit_Closed1009_LoggedOnce()
    {
        var since = HealthyClientMonitor.Now;
        var (attacker, sessionId) = await fixture.ConnectAsync();
        await using var _ = attacker;
        var fragment = new byte[4096];

        // 20 fragments of 4 KiB: each small, the message 80 KiB.
        try
        {
            await SendFragmentsAsync(attacker, Enumerable.Repeat(fragment, 20).ToArray());
        }
        catch (WebSocketException)
        {
            // The server may close before the last fragment.
        }

        Assert.Equal((int)CloseCode.MessageTooBig, await attacker.WaitForCloseAsync());
        await fixture.AssertLoggedOnceAsync(106, sessionId, "MessageTooBig");
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    [Fact]
    public async Task TextFrame_Error1011ThenClosed1003_LoggedOnce()
    {
        var since = HealthyClientMonitor.Now;
        var (attacker, sessionId) = await fixture.ConnectAsync();
        await using var _ = attacker;

        await attacker.SendRawAsync("""{"type":"subscribe","symbols":["AAPL"]}"""u8.ToArray(), WebSocketMessageType.Text);

        Assert.Equal(ErrorCode.TextFrameNotSupported, (await attacker.ExpectAsync<ErrorMessage>()).Code);
        Assert.Equal((int)CloseCode.UnsupportedData, await attacker.WaitForCloseAsync());
        await fixture.AssertLoggedOnceAsync(107, sessionId, "TextFrame");
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    [Fact]
    public async Task TenMalformedMessages_TenErrorsThenClosed1008_MalformedLoggedOnce()
    {
        var since = HealthyClientMonitor.Now;
        var (attacker, sessionId) = await fixture.ConnectAsync();
        await using var _ = attacker;

        for (var i = 0; i < 10; i++)
        {
            await attacker.SendRawAsync(new byte[] { 0xc1 });
        }

        var errors = 0;
        try
        {
            while (true)
            {
                errors += (await attacker.NextAsync()).Body is ErrorMessage { Code: ErrorCode.MalformedMessage } ? 1 : 0;
            }
        }
        catch (InvalidOperationException)
        {
            // Closed.
        }

        Assert.Equal(10, errors);
        Assert.Equal((int)CloseCode.PolicyViolation, attacker.CloseCode);
        await fixture.AssertLoggedOnceAsync(104, sessionId, "Malformed");
        await fixture.AssertLoggedOnceAsync(105, sessionId, "MalformedClosed");
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    [Fact]
    public async Task InboundFlood_FewErrors3001ThenClosed4004_EachLoggedOnce()
    {
        var since = HealthyClientMonitor.Now;
        var (attacker, sessionId) = await fixture.ConnectAsync();
        await using var _ = attacker;
        var ping = MalformedMessageTests.Hex("93 05 01 01");

        // Far past the burst (200) and a second's allowance (100) refused in a row.
        try
        {
            for (var i = 0; i < 2_000 && attacker.Socket.State == WebSocketState.Open; i++)
            {
                await attacker.SendRawAsync(ping);
            }
        }
        catch (WebSocketException)
        {
            // Closed mid-flood.
        }

        var rateErrors = 0;
        try
        {
            while (true)
            {
                rateErrors += (await attacker.NextAsync()).Body is ErrorMessage { Code: ErrorCode.RateLimited } ? 1 : 0;
            }
        }
        catch (InvalidOperationException)
        {
            // Closed.
        }

        // One Error per run of refused messages (the bucket refills while the flood is sent), never one per message.
        Assert.InRange(rateErrors, 1, 10);
        Assert.Equal((int)CloseCode.RateLimited, attacker.CloseCode);
        await fixture.AssertLoggedOnceAsync(108, sessionId, "RateLimited");
        await fixture.AssertLoggedOnceAsync(109, sessionId, "RateLimitClosed");
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    private static async Task SendFragmentsAsync(ProtocolClient client, byte[][] fragments)
    {
        for (var i = 0; i < fragments.Length; i++)
        {
            await client.Socket.SendAsync(fragments[i], WebSocketMessageType.Binary, endOfMessage: i == fragments.Length - 1, TestContext.Current.CancellationToken);
        }
    }
}
