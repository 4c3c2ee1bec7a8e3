namespace MarketStream.Protocol;

/// <summary>
/// A decoded server → client message other than Update and Merged (which stay structs on the hot
/// path, see <see cref="ServerMessage"/>). Pattern-match on the concrete type.
/// </summary>
public abstract record ServerMessageBody
{
    /// <summary>Wire type code.</summary>
    public abstract MessageType Type { get; }
}
