namespace MarketStream.Protocol;

/// <summary>Outcome of one <see cref="ServerFrameReader.Read"/> call.</summary>
public enum ReadStatus
{
    /// <summary>A message was read.</summary>
    Message,

    /// <summary>The frame holds no further messages.</summary>
    EndOfFrame,

    /// <summary>The frame is invalid; the error says why. Further reads return <see cref="Error"/> again.</summary>
    Error,
}
