namespace MarketStream.Server.Gateway;

/// <summary>
/// Drops the connection under a WebSocket. Aborting the WebSocket alone does not end a send blocked on a
/// full socket (the output pipe waits for the client), so the session aborts the transport too. An object
/// the connection already has implements it (<see cref="UpgradedTransportStream"/> on the direct path), so
/// a session holds no delegate of its own for it (docs/operations.md, memory per connection).
/// </summary>
internal interface ITransportAbort
{
    void AbortTransport();
}
