using MarketStream.Model;

namespace MarketStream.Journal.Tests;

/// <summary>The engine needs an encoder; the journal never reads the encoded bytes.</summary>
internal sealed class NullUpdateEncoder : IUpdateEncoder
{
    public int MaxUpdateLength => 8;

    public int EncodeUpdate(in Tick tick, Span<byte> destination) => 1;

    public int EncodeMerged(in MergedUpdate merged, Span<byte> destination) => 1;
}
