namespace MarketStream.Model;

/// <summary>
/// Turns engine values into wire bytes. Declared here so the engine (Core) can encode each update
/// once without depending on the protocol assembly; MarketStream.Protocol implements it.
/// Every method writes one complete, self-contained wire message and returns its length.
/// </summary>
public interface IUpdateEncoder
{
    /// <summary>Upper bound on the bytes any single update or merged update encodes to.</summary>
    int MaxUpdateLength { get; }

    /// <summary>Encodes a sequenced tick as an update message. <paramref name="destination"/> holds at least <see cref="MaxUpdateLength"/> bytes.</summary>
    int EncodeUpdate(in Tick tick, Span<byte> destination);

    /// <summary>Encodes a merged (conflated) update message. <paramref name="destination"/> holds at least <see cref="MaxUpdateLength"/> bytes.</summary>
    int EncodeMerged(in MergedUpdate merged, Span<byte> destination);
}
