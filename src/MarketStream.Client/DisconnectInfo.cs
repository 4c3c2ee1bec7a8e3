namespace MarketStream.Client;

/// <summary>How a connection ended.</summary>
/// <param name="CloseStatus">WebSocket close code the server sent (docs/protocol.md §6), or null when the connection dropped without one.</param>
/// <param name="Description">Close reason or error text, for humans.</param>
/// <param name="WillReconnect">True if the client reconnects and resumes; false if this is the end (disposed, or a code that needs a fix first: 1002, 1003, 1008, 4001, 4002).</param>
public sealed record DisconnectInfo(int? CloseStatus, string Description, bool WillReconnect);
