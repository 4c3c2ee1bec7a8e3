namespace MarketStream.Server.Sse;

/// <summary>JSON body of a refused <c>GET /sse</c>: <c>{"error":"not_entitled","code":2003,"detail":"…"}</c>.</summary>
internal sealed record SseErrorBody(string Error, int Code, string Detail);
