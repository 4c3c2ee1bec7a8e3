using System.Buffers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;

namespace MarketStream.IntegrationTests.Gateway;

/// <summary>
/// docs/architecture.md, "Direct upgrade": a connection that opens with the <c>/ws</c> handshake is upgraded on
/// Kestrel's transport; anything else reaches the HTTP pipeline unchanged, with not a byte lost on either path.
/// Which path a session took is visible as <c>upgrade</c> in <c>GET /api/sessions</c>.
/// </summary>
public sealed class DirectUpgradeTests
{
    [Fact]
    public async Task PlainHandshake_UpgradedDirectly_AcceptValuePerRfc6455_WelcomeFollows()
    {
        await using var server = await GatewayServer.StartAsync();
        using var client = await RawWebSocket.OpenAsync(server.BaseAddress);

        // RFC 6455 §1.3's worked example: this key must be answered with this accept value.
        await client.SendAsync(Encoding.ASCII.GetBytes(RawWebSocket.UpgradeRequest(server.BaseAddress, key: "dGhlIHNhbXBsZSBub25jZQ==")));
        var head = await client.ReadHeadAsync();

        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", head, StringComparison.Ordinal);
        Assert.Contains($"\r\nSec-WebSocket-Protocol: {WireProtocol.SubProtocol}\r\n", head, StringComparison.Ordinal);
        Assert.IsType<WelcomeMessage>(await ReadMessageAsync(client));
        Assert.Equal(["Direct"], await UpgradePathsAsync(server));
    }

    [Fact]
    public async Task HandshakeAndFirstRequestInOneWrite_RequestAnsweredAfterWelcome()
    {
        await using var server = await GatewayServer.StartAsync();
        using var client = await RawWebSocket.OpenAsync(server.BaseAddress);
        var ping = Encode(new PingRequest(RequestId: 7, ClientTimeNs: 123));

        // The first WebSocket frame rides in the same segment as the head: it must stay in the pipe for the WebSocket.
        await client.SendAsync([.. Encoding.ASCII.GetBytes(RawWebSocket.UpgradeRequest(server.BaseAddress)), .. RawWebSocket.MaskedBinaryFrame(ping)]);

        Assert.StartsWith("HTTP/1.1 101", await client.ReadHeadAsync(), StringComparison.Ordinal);
        Assert.IsType<WelcomeMessage>(await ReadMessageAsync(client));
        var pong = Assert.IsType<PongMessage>(await ReadMessageAsync(client));
        Assert.Equal((7, 123), (pong.RequestId, pong.ClientTimeNs));
        Assert.Equal(["Direct"], await UpgradePathsAsync(server));
    }

    [Fact]
    public async Task HeadArrivingInPieces_StillUpgradedDirectly()
    {
        await using var server = await GatewayServer.StartAsync();
        using var client = await RawWebSocket.OpenAsync(server.BaseAddress);
        var request = Encoding.ASCII.GetBytes(RawWebSocket.UpgradeRequest(server.BaseAddress));

        foreach (var (start, end) in new[] { (0, 3), (3, 40), (40, request.Length) })
        {
            await client.SendAsync(request[start..end]);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.StartsWith("HTTP/1.1 101", await client.ReadHeadAsync(), StringComparison.Ordinal);
        Assert.IsType<WelcomeMessage>(await ReadMessageAsync(client));
        Assert.Equal(["Direct"], await UpgradePathsAsync(server));
    }

    [Fact]
    public async Task EarlierRequestOnTheConnection_UpgradeGoesThroughHttp_BothAnswered()
    {
        await using var server = await GatewayServer.StartAsync();
        using var client = await RawWebSocket.OpenAsync(server.BaseAddress);

        await client.SendAsync(Encoding.ASCII.GetBytes($"GET /healthz HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\n\r\n"));
        var health = await client.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 200", health, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 2", health, StringComparison.OrdinalIgnoreCase);
        await client.ReadBytesAsync(2); // "ok"

        await client.SendAsync(Encoding.ASCII.GetBytes(RawWebSocket.UpgradeRequest(server.BaseAddress)));
        Assert.StartsWith("HTTP/1.1 101", await client.ReadHeadAsync(), StringComparison.Ordinal);
        Assert.IsType<WelcomeMessage>(await ReadMessageAsync(client));
        Assert.Equal(["Http"], await UpgradePathsAsync(server));
    }

    [Fact]
    public async Task DirectUpgradeOff_EverySessionThroughHttp()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["MarketStream:Gateway:DirectUpgrade"] = "false" });
        using var client = await RawWebSocket.ConnectAsync(server.BaseAddress);

        Assert.IsType<WelcomeMessage>(await ReadMessageAsync(client));
        Assert.Equal(["Http"], await UpgradePathsAsync(server));
    }

    /// <summary>
    /// A head still incomplete when the peek's deadline (RequestHeadersTimeout, 1 s here) passes is handed to
    /// Kestrel with what arrived so far; Kestrel's own header timeout (another second) still runs, and a client
    /// that finishes within it is upgraded through HTTP — the hand-over loses no byte and leaves no stale
    /// cancellation behind in the pipe.
    /// </summary>
    [Fact]
    public async Task HeadStalledPastPeekDeadline_HandedToHttp_CompletedHandshakeUpgrades()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["Kestrel:Limits:RequestHeadersTimeout"] = "00:00:01" });
        using var client = await RawWebSocket.OpenAsync(server.BaseAddress);
        var request = Encoding.ASCII.GetBytes(RawWebSocket.UpgradeRequest(server.BaseAddress));

        await client.SendAsync(request[..30]);
        await Task.Delay(TimeSpan.FromSeconds(1.4), TestContext.Current.CancellationToken);
        await client.SendAsync(request[30..]);

        Assert.StartsWith("HTTP/1.1 101", await client.ReadHeadAsync(), StringComparison.Ordinal);
        Assert.IsType<WelcomeMessage>(await ReadMessageAsync(client));
        Assert.Equal(["Http"], await UpgradePathsAsync(server));
    }

    private static byte[] Encode(ClientMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ClientMessageWriter.Write(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The first message of the next binary frame (pings skipped).</summary>
    private static async Task<ServerMessageBody?> ReadMessageAsync(RawWebSocket client)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            var (opcode, payload) = await client.ReadFrameAsync(timeout.Token);
            if (opcode != 0x2)
            {
                continue;
            }

            var reader = new ServerFrameReader(payload);
            Assert.Equal(ReadStatus.Message, reader.Read(out var message, out var error));
            Assert.Equal(default, error);
            return message.Body;
        }
    }

    private static async Task<string[]> UpgradePathsAsync(RunningServer server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var sessions = await http.GetFromJsonAsync<JsonElement>("/api/sessions", TestContext.Current.CancellationToken);
        return [.. sessions.EnumerateArray().Select(s => s.GetProperty("upgrade").GetString()!)];
    }
}
