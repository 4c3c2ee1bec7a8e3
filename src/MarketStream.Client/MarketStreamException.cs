using MarketStream.Protocol;

namespace MarketStream.Client;

/// <summary>
/// A failure the client cannot hide: a refused handshake, a server Error answering a request
/// (<see cref="ErrorCode"/>, docs/protocol.md §5), or a close code that forbids reconnecting (<see cref="CloseStatus"/>, §6).
/// </summary>
public sealed class MarketStreamException : Exception
{
    public MarketStreamException()
    {
    }

    public MarketStreamException(string message)
        : base(message)
    {
    }

    public MarketStreamException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A server Error.</summary>
    public MarketStreamException(ErrorCode code, string message)
        : base(message) => ErrorCode = code;

    /// <summary>A connection-level failure (close code or HTTP status).</summary>
    public MarketStreamException(string message, int? closeStatus, int? httpStatus, Exception? innerException = null)
        : base(message, innerException)
    {
        CloseStatus = closeStatus;
        HttpStatus = httpStatus;
    }

    /// <summary>The server's error code when a request was refused; <see cref="ErrorCode.None"/> otherwise.</summary>
    public ErrorCode ErrorCode { get; }

    /// <summary>The WebSocket close code that ended the session, if that is the failure.</summary>
    public int? CloseStatus { get; }

    /// <summary>The HTTP status of a refused upgrade (400 subprotocol, 401 token, 403 origin), if that is the failure.</summary>
    public int? HttpStatus { get; }
}
