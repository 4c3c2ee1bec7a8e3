namespace MarketStream.Server.Gateway;

/// <summary>
/// What <see cref="HandshakeGate"/> looks at in an upgrade request, independent of how it arrived:
/// through ASP.NET Core's <c>HttpContext</c>, or parsed off the connection by <see cref="DirectUpgrade"/>.
/// </summary>
/// <param name="IsWebSocket">A GET with the WebSocket upgrade headers (RFC 6455 §4.2.1).</param>
/// <param name="Origin">The Origin header, empty or null when absent.</param>
/// <param name="SelfOrigin">scheme://host of the request itself (the same-origin case).</param>
/// <param name="Protocols">Sec-WebSocket-Protocol entries in the order offered.</param>
/// <param name="QueryToken">The <c>access_token</c> query parameter, decoded; null when absent.</param>
internal readonly record struct HandshakeRequest(bool IsWebSocket, string? Origin, string SelfOrigin, IList<string> Protocols, string? QueryToken);
