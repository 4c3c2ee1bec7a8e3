using System.Buffers;
using System.Text;
using MarketStream.Server.Gateway;

namespace MarketStream.Server.Tests.Gateway;

/// <summary>
/// What <see cref="DirectUpgrade"/> takes directly and what it leaves to Kestrel: only the plain handshake of
/// <c>/ws</c> is Parsed; anything unusual is NotDirect (Kestrel answers it as before), and a head that may
/// still become one is Incomplete.
/// </summary>
public sealed class UpgradeRequestParserTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private static string Head(string requestLine = "GET /ws HTTP/1.1", string? extra = null, string? omit = null)
    {
        var headers = new List<string>
        {
            "Host: 127.0.0.1:5080",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Version: 13",
            $"Sec-WebSocket-Key: {Key}",
            "Sec-WebSocket-Protocol: marketstream.v1",
        };
        headers.RemoveAll(h => omit is not null && h.StartsWith(omit + ":", StringComparison.Ordinal));
        if (extra is not null)
        {
            headers.Add(extra);
        }

        return requestLine + "\r\n" + string.Join("\r\n", headers) + "\r\n\r\n";
    }

    private static UpgradeParseStatus Parse(string text, out UpgradeRequest? request, out long headLength)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text));
        var status = UpgradeRequestParser.Parse(buffer, out request, out var end);
        headLength = buffer.Slice(buffer.Start, end).Length;
        return status;
    }

    [Fact]
    public void PlainHandshake_Parsed_WithEveryFieldTheGateReads()
    {
        var head = Head(extra: "Origin: http://127.0.0.1:5080");

        Assert.Equal(UpgradeParseStatus.Parsed, Parse(head + "\x82\x85rest", out var request, out var length));

        Assert.Equal(head.Length, length); // the bytes after the head (a first frame) are not part of it
        Assert.Equal(Key, request!.Key);
        Assert.True(request.Handshake.IsWebSocket);
        Assert.Equal("http://127.0.0.1:5080", request.Handshake.Origin);
        Assert.Equal("http://127.0.0.1:5080", request.Handshake.SelfOrigin);
        Assert.Equal(["marketstream.v1"], request.Handshake.Protocols);
        Assert.Null(request.Handshake.QueryToken);
    }

    [Fact]
    public void TokenInQueryAndSubprotocolList_Decoded()
    {
        var head = Head("GET /ws?x=1&access_token=a%2Bb.c HTTP/1.1", extra: "Sec-WebSocket-Protocol: marketstream.token.t1 , other");

        Assert.Equal(UpgradeParseStatus.Parsed, Parse(head, out var request, out _));

        Assert.Equal("a+b.c", request!.Handshake.QueryToken);
        Assert.Equal(["marketstream.v1", "marketstream.token.t1", "other"], request.Handshake.Protocols);
    }

    [Fact]
    public void HeaderNamesAndTokens_CaseInsensitive_ConnectionListAccepted()
    {
        var head = "GET /ws HTTP/1.1\r\nhost: h\r\nUPGRADE: WebSocket\r\nconnection: keep-alive, upgrade\r\nsec-websocket-version: 13\r\n" +
                   $"SEC-WEBSOCKET-KEY: {Key}\r\nsec-websocket-protocol: marketstream.v1\r\n\r\n";

        Assert.Equal(UpgradeParseStatus.Parsed, Parse(head, out var request, out _));
        Assert.Equal("http://h", request!.Handshake.SelfOrigin);
    }

    [Theory]
    [InlineData("")]
    [InlineData("G")]
    [InlineData("GET /w")]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\n")]
    public void PrefixOfAHandshake_Incomplete(string text)
    {
        Assert.Equal(UpgradeParseStatus.Incomplete, Parse(text, out var request, out _));
        Assert.Null(request);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")] // another path: decided from the first bytes, without waiting for the head
    [InlineData("POST /ws HTTP/1.1\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n")]
    [InlineData("\x16\x03\x01\x02\x00")] // a TLS ClientHello
    public void OtherRequests_NotDirect_FromTheFirstBytes(string text)
    {
        Assert.Equal(UpgradeParseStatus.NotDirect, Parse(text, out _, out _));
    }

    public static TheoryData<string, string> Unusual => new()
    {
        { "other path with the same prefix", Head("GET /wsx HTTP/1.1") },
        { "sub-path", Head("GET /ws/ HTTP/1.1") },
        { "HTTP/1.0", Head("GET /ws HTTP/1.0") },
        { "no Upgrade", Head(omit: "Upgrade") },
        { "no Connection: upgrade", Head(omit: "Connection") },
        { "no Host", Head(omit: "Host") },
        { "version 8", Head(omit: "Sec-WebSocket-Version", extra: "Sec-WebSocket-Version: 8") },
        { "key not 16 bytes", Head(omit: "Sec-WebSocket-Key", extra: "Sec-WebSocket-Key: c2hvcnQ=") },
        { "no key", Head(omit: "Sec-WebSocket-Key") },
        { "two Host headers", Head(extra: "Host: evil") },
        { "two keys", Head(extra: $"Sec-WebSocket-Key: {Key}") },
        { "two Origins", Head(extra: "Origin: http://a\r\nOrigin: http://b") },
        { "a body", Head(extra: "Content-Length: 5") },
        { "chunked", Head(extra: "Transfer-Encoding: chunked") },
        { "obsolete line folding", Head(extra: "X-A: 1\r\n continued") },
        { "space in a header name", Head(extra: "X A: 1") },
        { "line without a colon", Head(extra: "garbage") },
        { "non-ASCII byte", Head(extra: "X-Name: caf\u00e9") },
        { "control byte", Head(extra: "X-Name: a\u0001b") },
    };

    [Theory]
    [MemberData(nameof(Unusual))]
    public void UnusualOrMalformedHandshake_NotDirect_LeftToKestrel(string name, string head)
    {
        Assert.NotNull(name);
        Assert.Equal(UpgradeParseStatus.NotDirect, Parse(head, out var request, out _));
        Assert.Null(request);
    }

    /// <summary>
    /// Property, over 20,000 seeded mutations of a valid head (bytes flipped, inserted, deleted, cut): the parser
    /// never throws, never reports a head longer than the input or the limit, and whatever it calls Parsed still
    /// starts with the request line of /ws and carries a 16-byte key — so a corrupted handshake either goes to
    /// Kestrel or is a real one.
    /// </summary>
    [Fact]
    public void MutatedHeads_NeverThrow_ParsedOnlyWhenStillAValidHandshake()
    {
        var random = new Random(20261202);
        var valid = Encoding.ASCII.GetBytes(Head(extra: "Origin: http://127.0.0.1:5080"));
        var counts = new Dictionary<UpgradeParseStatus, int>();
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = Mutate(valid, random);
            var buffer = new ReadOnlySequence<byte>(bytes);

            var status = UpgradeRequestParser.Parse(buffer, out var request, out var end);

            counts[status] = counts.GetValueOrDefault(status) + 1;
            var headLength = buffer.Slice(buffer.Start, end).Length;
            Assert.InRange(headLength, 0, Math.Min(bytes.Length, UpgradeRequestParser.MaxHeadBytes));
            Assert.Equal(status == UpgradeParseStatus.Parsed, request is not null);
            if (request is not null)
            {
                Assert.True(bytes.AsSpan().StartsWith("GET /ws"u8));
                Assert.Equal(16, Convert.FromBase64String(request.Key).Length);
                Assert.True(headLength >= 4 && bytes.AsSpan((int)headLength - 4, 4).SequenceEqual("\r\n\r\n"u8));
            }
        }

        // The mutations reach every outcome, so the property was tested on each.
        Assert.All(Enum.GetValues<UpgradeParseStatus>(), s => Assert.True(counts.GetValueOrDefault(s) > 100, $"{s}: {counts.GetValueOrDefault(s)}"));
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = new List<byte>(valid);
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var at = random.Next(bytes.Count + 1);
            switch (random.Next(4))
            {
                case 0 when at < bytes.Count:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, "\r\n: ,\t\0aZ\x7f\xff"[random.Next(10)] is var c ? (byte)c : (byte)0);
                    break;
                case 2 when at < bytes.Count:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    [Fact]
    public void HeadLongerThanTheLimit_NotDirect()
    {
        var padding = "X-Padding: " + new string('a', UpgradeRequestParser.MaxHeadBytes);

        Assert.Equal(UpgradeParseStatus.NotDirect, Parse(Head(extra: padding), out _, out _));
        Assert.Equal(UpgradeParseStatus.NotDirect, Parse(Head(extra: padding)[..(UpgradeRequestParser.MaxHeadBytes + 10)], out _, out _));
    }
}
