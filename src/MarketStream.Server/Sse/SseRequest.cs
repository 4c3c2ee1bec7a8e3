using MarketStream.Core.Sessions;
using MarketStream.Model;

namespace MarketStream.Server.Sse;

/// <summary>An accepted <c>GET /sse</c>: the stream's symbols in canonical order and how to deliver them.</summary>
/// <param name="Symbols">Covered symbols, names sorted ordinally (the order of event-id entries).</param>
/// <param name="Options">Delivery mode and max rate for every symbol.</param>
/// <param name="ModeName">Mode as the client named it, echoed in the <c>subscribed</c> event.</param>
/// <param name="LastEventId">The resume id (<c>Last-Event-ID</c> header, else <c>?lastEventId=</c>), if any.</param>
/// <param name="TokenExpiresAt">When the stream must end because its token expires; null for none.</param>
internal sealed record SseRequest(SymbolInfo[] Symbols, SubscriptionOptions Options, string ModeName, string? LastEventId, DateTimeOffset? TokenExpiresAt);
