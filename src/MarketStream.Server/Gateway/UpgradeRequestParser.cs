using System.Buffers;
using System.Text;
using MarketStream.Protocol;
using Microsoft.AspNetCore.WebUtilities;

namespace MarketStream.Server.Gateway;

/// <summary>What <see cref="UpgradeRequestParser.Parse"/> made of the bytes read so far.</summary>
internal enum UpgradeParseStatus
{
    /// <summary>Could still become a direct upgrade: read more.</summary>
    Incomplete,

    /// <summary>Not a plain, well-formed WebSocket upgrade of the stream endpoint: leave it to the HTTP pipeline.</summary>
    NotDirect,

    /// <summary>A complete upgrade request for the stream endpoint.</summary>
    Parsed,
}

/// <summary>A parsed upgrade request for the stream endpoint (RFC 6455 §4.2.1).</summary>
internal sealed record UpgradeRequest(HandshakeRequest Handshake, string Key);

/// <summary>
/// Recognises an HTTP/1.1 WebSocket upgrade of <see cref="WireProtocol.Endpoint"/> at the start of a
/// connection, for <see cref="DirectUpgrade"/>. Deliberately strict: it accepts only the plain form
/// clients send (one request line, single-line headers, visible ASCII, no body) and answers
/// <see cref="UpgradeParseStatus.NotDirect"/> for anything else, so every unusual or malformed request
/// still gets Kestrel's own parsing and error responses. It decides as early as it can: the first bytes
/// of any other request (<c>GET /index.html</c>, <c>POST</c>, TLS, HTTP/2) are enough to say NotDirect.
/// </summary>
internal static class UpgradeRequestParser
{
    /// <summary>Largest request head taken directly; a longer one goes to Kestrel (which allows 32 KiB by default).</summary>
    public const int MaxHeadBytes = 8 * 1024;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> RequestStart => "GET /ws"u8;

    public static UpgradeParseStatus Parse(ReadOnlySequence<byte> buffer, out UpgradeRequest? request, out SequencePosition headEnd)
    {
        request = null;
        headEnd = buffer.Start;
        if (!CouldBeStreamUpgrade(buffer))
        {
            return UpgradeParseStatus.NotDirect;
        }

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, HeadEnd, advancePastDelimiter: true))
        {
            return buffer.Length >= MaxHeadBytes ? UpgradeParseStatus.NotDirect : UpgradeParseStatus.Incomplete;
        }

        if (head.Length + HeadEnd.Length > MaxHeadBytes)
        {
            return UpgradeParseStatus.NotDirect;
        }

        headEnd = reader.Position;
        request = ParseHead(head);
        return request is null ? UpgradeParseStatus.NotDirect : UpgradeParseStatus.Parsed;
    }

    /// <summary>True while the bytes seen so far are a prefix of <c>GET /ws</c> (or start with it).</summary>
    private static bool CouldBeStreamUpgrade(ReadOnlySequence<byte> buffer)
    {
        Span<byte> start = stackalloc byte[RequestStart.Length];
        var length = (int)Math.Min(buffer.Length, start.Length);
        buffer.Slice(0, length).CopyTo(start);
        return start[..length].SequenceEqual(RequestStart[..length]);
    }

    private static UpgradeRequest? ParseHead(ReadOnlySequence<byte> head)
    {
        var bytes = head.ToArray();
        foreach (var b in bytes)
        {
            // Visible ASCII, space, tab and CR/LF only: anything else is Kestrel's to judge.
            if (b is > 0x7E or (< 0x20 and not (0x09 or 0x0D or 0x0A)))
            {
                return null;
            }
        }

        var lines = Encoding.ASCII.GetString(bytes).Split("\r\n");
        if (ParseQuery(lines[0]) is not { } rawQuery)
        {
            return null;
        }

        var headers = new Headers();
        for (var i = 1; i < lines.Length; i++)
        {
            if (!headers.Add(lines[i]))
            {
                return null;
            }
        }

        if (!headers.IsWebSocketUpgrade(out var key))
        {
            return null;
        }

        var query = rawQuery.Length > 0 ? QueryHelpers.ParseQuery(rawQuery) : null;
        string? token = query is not null && query.TryGetValue(WireProtocol.AccessTokenQueryParameter, out var values) ? values.ToString() : null;
        var handshake = new HandshakeRequest(true, headers.Origin, "http://" + headers.Host, headers.Protocols, token);
        return new UpgradeRequest(handshake, key);
    }

    /// <summary>The query ("" or "?…") of <c>GET /ws[?query] HTTP/1.1</c>, or null for any other request line.</summary>
    private static string? ParseQuery(string line)
    {
        const string prefix = "GET ";
        const string suffix = " HTTP/1.1";
        if (!line.StartsWith(prefix, StringComparison.Ordinal) || !line.EndsWith(suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var target = line[prefix.Length..^suffix.Length];
        var queryStart = target.IndexOf('?');
        var path = queryStart < 0 ? target : target[..queryStart];
        if (path != WireProtocol.Endpoint || target.Contains(' ') || target.Contains('#'))
        {
            return null;
        }

        return queryStart < 0 ? "" : target[queryStart..];
    }

    /// <summary>The headers an upgrade needs; a repeated single-valued header or a body makes the request not direct.</summary>
    private sealed class Headers
    {
        private bool _upgradeWebSocket;
        private bool _connectionUpgrade;
        private string? _version;
        private string? _key;
        private string? _host;
        private string? _origin;

        public string? Host => _host;

        public string? Origin => _origin;

        public List<string> Protocols { get; } = [];

        /// <summary>Takes one header line; false when the request is not one to upgrade directly.</summary>
        public bool Add(string line)
        {
            var colon = line.IndexOf(':');
            if (colon <= 0 || line[0] is ' ' or '\t' || line.AsSpan(0, colon).IndexOfAny(' ', '\t') >= 0)
            {
                return false; // no name, obsolete line folding, or whitespace in the name
            }

            var value = line[(colon + 1)..].Trim(' ', '\t');
            switch (line[..colon].ToLowerInvariant())
            {
                case "host":
                    return SetOnce(ref _host, value);
                case "origin":
                    return SetOnce(ref _origin, value);
                case "sec-websocket-version":
                    return SetOnce(ref _version, value);
                case "sec-websocket-key":
                    return SetOnce(ref _key, value);
                case "upgrade":
                    _upgradeWebSocket |= HasToken(value, "websocket");
                    return true;
                case "connection":
                    _connectionUpgrade |= HasToken(value, "upgrade");
                    return true;
                case "sec-websocket-protocol":
                    Protocols.AddRange(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                    return true;
                case "content-length":
                    return value == "0";
                case "transfer-encoding":
                    return false;
                default:
                    return true;
            }
        }

        public bool IsWebSocketUpgrade(out string key)
        {
            key = _key ?? "";
            return _upgradeWebSocket && _connectionUpgrade && _version == "13" && IsValidKey(key) && !string.IsNullOrEmpty(_host);
        }

        private static bool SetOnce(ref string? field, string value)
        {
            if (field is not null)
            {
                return false;
            }

            field = value;
            return true;
        }

        private static bool HasToken(string value, string token)
        {
            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
            {
                if (part.Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>RFC 6455 §4.1: the key is 16 random bytes in base64.</summary>
        private static bool IsValidKey(string key)
        {
            Span<byte> decoded = stackalloc byte[18];
            return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
        }
    }
}
