using MarketStream.Protocol;

namespace MarketStream.Client;

/// <summary>A session the client opened.</summary>
/// <param name="Welcome">The server's Welcome: session id and this session's limits (docs/protocol.md §4.9).</param>
/// <param name="Reconnects">0 for the first session; n for the n-th successful reconnect.</param>
public sealed record ConnectionInfo(WelcomeMessage Welcome, int Reconnects)
{
    /// <summary>Server-assigned session id.</summary>
    public string SessionId => Welcome.SessionId;
}
