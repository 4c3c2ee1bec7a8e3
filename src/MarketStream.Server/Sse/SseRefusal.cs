namespace MarketStream.Server.Sse;

/// <summary>Why <c>GET /sse</c> was refused: HTTP status, error name and the protocol's stable code (docs/sse.md, errors).</summary>
internal readonly record struct SseRefusal(int Status, string Error, int Code, string Detail);
