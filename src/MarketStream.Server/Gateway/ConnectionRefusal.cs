namespace MarketStream.Server.Gateway;

/// <summary>Why <see cref="ConnectionLimiter"/> refused a connection.</summary>
internal enum ConnectionRefusal
{
    None = 0,
    TooManyConnections,
    TooManyFromAddress,
}
