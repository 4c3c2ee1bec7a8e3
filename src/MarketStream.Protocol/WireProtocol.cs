namespace MarketStream.Protocol;

/// <summary>Names and numbers fixed by docs/protocol.md §1 (connecting) that every peer must agree on.</summary>
public static class WireProtocol
{
    /// <summary>The WebSocket endpoint path.</summary>
    public const string Endpoint = "/ws";

    /// <summary>The only subprotocol the server accepts and echoes (docs/protocol.md §1.2).</summary>
    public const string SubProtocol = "marketstream.v1";

    /// <summary>Prefix of an extra subprotocol entry carrying a bearer token (docs/protocol.md §1.3). Never echoed.</summary>
    public const string TokenSubProtocolPrefix = "marketstream.token.";

    /// <summary>Query-string parameter that may carry a bearer token (docs/protocol.md §1.3).</summary>
    public const string AccessTokenQueryParameter = "access_token";

    /// <summary>Protocol version announced in Welcome.</summary>
    public const int Version = 1;
}
