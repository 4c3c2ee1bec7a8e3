using MarketStream.Model;
using MarketStream.Feeds.Validation;

namespace MarketStream.Feeds.Replay;

/// <summary>
/// Decodes a tick file record by record into a caller-owned <see cref="Tick"/>, resolving symbol
/// names against the universe. Input is untrusted: malformed data raises
/// <see cref="FeedDataException"/> naming the line or byte offset; memory stays bounded.
/// </summary>
public interface ITickReader : IDisposable
{
    /// <summary>Name of the input, used in error messages.</summary>
    string SourceName { get; }

    /// <summary>
    /// Decodes the next record into <paramref name="tick"/> (all fields written; <c>Epoch</c>,
    /// <c>Seq</c>, <c>ReceiveTimeNs</c> and <c>ServerTimeNs</c> are zero).
    /// </summary>
    /// <param name="tick">Receives the tick.</param>
    /// <param name="reason">Why the record was rejected when the result is <see cref="TickReadStatus.Rejected"/>.</param>
    /// <exception cref="FeedDataException">The input is malformed.</exception>
    TickReadStatus Read(ref Tick tick, out IngestRejectCode reason);
}
