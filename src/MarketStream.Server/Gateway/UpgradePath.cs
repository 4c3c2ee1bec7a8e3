namespace MarketStream.Server.Gateway;

/// <summary>How a session's WebSocket was accepted (<c>upgrade</c> in <c>GET /api/sessions</c>).</summary>
internal enum UpgradePath : byte
{
    /// <summary>Through an ASP.NET Core HTTP request (an earlier request on the connection, TLS, HTTP/2, or <c>DirectUpgrade</c> off).</summary>
    Http,

    /// <summary>On Kestrel's transport by <see cref="DirectUpgrade"/>: the connection opened with the handshake.</summary>
    Direct,
}
