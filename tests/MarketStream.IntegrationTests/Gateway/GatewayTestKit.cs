using System.Net;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace MarketStream.IntegrationTests.Gateway;

/// <summary>Shared helpers of the gateway tests: requests, tokens, and the stream-order checks of docs/protocol.md §2.4.</summary>
internal static class GatewayTestKit
{
    public const string SigningKey = "bWFya2V0c3RyZWFtLWdhdGV3YXktdGVzdHMta2V5LTMyYnl0ZXMhIQ==";

    public static Dictionary<string, string?> RequiredAuth(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MarketStream:Auth:Mode"] = "Required",
            ["MarketStream:Auth:SigningKey"] = SigningKey,
            ["MarketStream:Auth:DevTokenEndpoint"] = "false",
            ["MarketStream:Auth:AuthenticateTimeout"] = "00:00:00.300",
            ["MarketStream:Auth:ClockSkew"] = "00:00:00",
        };
        foreach (var (k, v) in more ?? [])
        {
            settings[k] = v;
        }

        return settings;
    }

    public static SubscribeRequest Subscribe(long id, params string[] symbols) =>
        new(id, symbols, SubscriptionMode.Conflated, 0, 0, []);

    public static SubscribeRequest SubscribeFull(long id, params string[] symbols) =>
        new(id, symbols, SubscriptionMode.Full, 0, 0, []);

    public static string Token(RunningServer server, string subject, TokenRole role, string[] patterns, TimeSpan? lifetime = null, TimeProvider? clock = null) =>
        server.Services.GetRequiredService<TokenService>().Issue(subject, role, patterns, lifetime ?? TimeSpan.FromMinutes(5), clock);

    /// <summary>Connects and returns the client with its Welcome already read.</summary>
    public static async Task<(ProtocolClient Client, WelcomeMessage Welcome)> ConnectAsync(RunningServer server, IEnumerable<string>? subprotocols = null, int? receiveBufferBytes = null, string? query = null, TimeSpan? keepAliveInterval = null)
    {
        var uri = query is null ? server.WebSocketUri : new Uri(server.WebSocketUri + "?" + query);
        var client = await ProtocolClient.ConnectAsync(uri, subprotocols, receiveBufferBytes: receiveBufferBytes, keepAliveInterval: keepAliveInterval);
        var first = await client.NextAsync();
        return (client, Assert.IsType<WelcomeMessage>(first.Body));
    }

    /// <summary>Subscribes and returns the ack (the first non-heartbeat message must be it, or an Error fails the test).</summary>
    public static async Task<SubscribeAckMessage> SubscribeAsync(ProtocolClient client, SubscribeRequest request)
    {
        await client.SendAsync(request);
        var answer = await client.NextAsync(static m => m.Body is SubscribeAckMessage or ErrorMessage);
        var ack = Assert.IsType<SubscribeAckMessage>(answer.Body);
        Assert.Equal(request.RequestId, ack.RequestId);
        return ack;
    }

    public static async Task<ErrorMessage> ExpectErrorAsync(ProtocolClient client, long requestId)
    {
        var error = await client.ExpectAsync<ErrorMessage>();
        Assert.Equal(requestId, error.RequestId);
        return error;
    }

    /// <summary>
    /// Checks §2.4 on a received stream: per symbol a Snapshot (or Reset) comes before any update; an
    /// Update has seq = last + 1; a Merged has firstSeq = last + 1 and count = lastSeq − firstSeq + 1.
    /// Returns per symbol id the number of updates covered (plain + merged counts).
    /// </summary>
    public static StreamCheck CheckStream(IEnumerable<ServerMessage> messages)
    {
        var check = new StreamCheck();
        foreach (var m in messages)
        {
            switch (m.Type)
            {
                case MessageType.Snapshot:
                {
                    var s = (SnapshotMessage)m.Body!;
                    check.Last[s.Symbol.Id] = s.State.Seq;
                    check.Snapshots++;
                    break;
                }

                case MessageType.Reset:
                {
                    var r = (ResetMessage)m.Body!;
                    check.Last[r.Symbol.Id] = r.State.Seq;
                    break;
                }

                case MessageType.Update:
                {
                    var u = m.Update;
                    Assert.True(check.Last.TryGetValue(u.SymbolId, out var last), $"update of symbol {u.SymbolId} before its snapshot");
                    Assert.True(u.Seq == last + 1, $"symbol {u.SymbolId}: update seq {u.Seq} after {last}");
                    check.Last[u.SymbolId] = u.Seq;
                    check.Covered[u.SymbolId] = check.Covered.GetValueOrDefault(u.SymbolId) + 1;
                    check.Updates++;
                    break;
                }

                case MessageType.Merged:
                {
                    var g = m.Merged;
                    Assert.True(check.Last.TryGetValue(g.SymbolId, out var last), $"merged update of symbol {g.SymbolId} before its snapshot");
                    Assert.True(g.FirstSeq == last + 1, $"symbol {g.SymbolId}: merged {g.FirstSeq}..{g.LastSeq} after {last}");
                    Assert.Equal(g.LastSeq - g.FirstSeq + 1, g.Count);
                    check.Last[g.SymbolId] = g.LastSeq;
                    check.Covered[g.SymbolId] = check.Covered.GetValueOrDefault(g.SymbolId) + g.Count;
                    check.Merged++;
                    check.MergedCount += g.Count;
                    break;
                }
            }
        }

        return check;
    }

    internal sealed class StreamCheck
    {
        public Dictionary<int, long> Last { get; } = [];

        public Dictionary<int, long> Covered { get; } = [];

        public int Snapshots { get; set; }

        public int Updates { get; set; }

        public int Merged { get; set; }

        public long MergedCount { get; set; }
    }

    /// <summary>A handshake by hand, so the refusal's status and body can be read (ClientWebSocket hides them). <paramref name="path"/> is /ws unless given.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> RawHandshakeAsync(RunningServer server, string? protocols, string? origin = null, string? query = null, string path = "/ws")
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path + (query is null ? "" : "?" + query));
        request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        if (protocols is not null)
        {
            request.Headers.TryAddWithoutValidation("Sec-WebSocket-Protocol", protocols);
        }

        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>A clock shifted into the past, to mint tokens that are already expired.</summary>
    internal sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
