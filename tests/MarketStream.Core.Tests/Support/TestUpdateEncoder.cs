using System.Runtime.InteropServices;
using MarketStream.Model;

namespace MarketStream.Core.Tests.Support;

/// <summary>
/// A real, lossless encoder for tests: a tag byte (1 = update, 2 = merged) followed by the raw
/// struct. Decodable by <see cref="TestDecoder"/>, so tests check what a client would actually get.
/// </summary>
internal sealed class TestUpdateEncoder : IUpdateEncoder
{
    public const byte UpdateTag = 1;
    public const byte MergedTag = 2;

    private long _updates;
    private long _merged;

    public int MaxUpdateLength { get; } = 1 + Math.Max(Marshal.SizeOf<Tick>(), Marshal.SizeOf<MergedUpdate>());

    public long UpdatesEncoded => Volatile.Read(ref _updates);

    public long MergedEncoded => Volatile.Read(ref _merged);

    public int EncodeUpdate(in Tick tick, Span<byte> destination)
    {
        destination[0] = UpdateTag;
        MemoryMarshal.Write(destination[1..], in tick);
        Interlocked.Increment(ref _updates);
        return 1 + Marshal.SizeOf<Tick>();
    }

    public int EncodeMerged(in MergedUpdate merged, Span<byte> destination)
    {
        destination[0] = MergedTag;
        MemoryMarshal.Write(destination[1..], in merged);
        Interlocked.Increment(ref _merged);
        return 1 + Marshal.SizeOf<MergedUpdate>();
    }
}
