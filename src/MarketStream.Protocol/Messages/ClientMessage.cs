namespace MarketStream.Protocol;

/// <summary>
/// A decoded client → server request (docs/protocol.md §4.1–§4.5, §4.17). Every request carries a
/// positive <see cref="RequestId"/> that the answer or Error echoes. Requests are rare compared with
/// updates, so they are classes; pattern-match on the concrete type.
/// </summary>
/// <param name="RequestId">Client-chosen positive id; ≤ 2^53−1 if the client is JavaScript.</param>
public abstract record ClientMessage(long RequestId)
{
    /// <summary>Wire type code.</summary>
    public abstract MessageType Type { get; }
}
