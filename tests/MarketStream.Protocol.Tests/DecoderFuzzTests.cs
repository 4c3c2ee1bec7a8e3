using System.Buffers.Binary;
using System.Diagnostics;
using CsCheck;
using MarketStream.Model;

namespace MarketStream.Protocol.Tests;

/// <summary>
/// Fuzzing every decoder that reads untrusted bytes (docs/protocol.md §7), beyond "never throws"
/// (PropertyTests): hostile length headers anywhere in a message, ingest batches under the /ingest
/// limits, and for every input a bounded allocation — what decoding costs follows the bytes that
/// arrived, never a header's claim — and no hang. The long-running version is the SharpFuzz harness
/// in perf/MarketStream.Fuzz (perf/README.md, Fuzzing).
/// </summary>
public sealed class DecoderFuzzTests
{
    /// <summary>The /ingest endpoint's limits (IngestSession: 1 MiB messages, up to 1024 ticks).</summary>
    private static readonly DecoderLimits IngestLimits = new() { MaxMessageBytes = 1024 * 1024, MaxCollectionLength = 1025 };

    /// <summary>MessagePack headers that carry a length: array16/32, map16/32, str8/16/32, bin8/16/32.</summary>
    private static readonly Gen<byte[]> HostileHeader =
        from marker in Gen.OneOf<byte>(0xdc, 0xdd, 0xde, 0xdf, 0xd9, 0xda, 0xdb, 0xc4, 0xc5, 0xc6)
        from claim in Gen.OneOf(Gen.UInt, Gen.OneOf<uint>(0x7fffffff, 0xffffffff, 0x80000000, 0x10000, 4097, 4096))
        select Header(marker, claim);

    /// <summary>A valid message with a hostile header spliced in at a random point, optionally cut short.</summary>
    private static Gen<byte[]> Spliced(Gen<byte[]> valid) =>
        from bytes in valid
        from header in HostileHeader
        from at in Gen.Int[0, 1 << 16]
        from keep in Gen.Int[0, 64]
        select (byte[])[.. bytes.AsSpan(0, at % (bytes.Length + 1)), .. header, .. bytes.AsSpan(at % (bytes.Length + 1)).ToArray().AsSpan(0, Math.Min(keep, bytes.Length - (at % (bytes.Length + 1))))];

    [Fact]
    public void ClientReader_HostileHeaders_RefusedWithinBoundedAllocation() =>
        Spliced(Generators.ClientMessage.Select(Wire.Encode)).Sample(bytes =>
        {
            var (ok, error) = Bounded(bytes, () => ClientMessageReader.TryRead(bytes.AsMemory(), out _, out var e) ? (true, e) : (false, e));
            Assert.True(ok || error.IsError);
        }, iter: 10_000);

    [Fact]
    public void IngestReader_MutatedAndHostileBatches_NeverThrow_BoundedAllocation() =>
        Gen.OneOf(
                Spliced(IngestBatch),
                from bytes in IngestBatch
                from flips in Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte).Array[1, 6]
                select Flip(bytes, flips))
            .Sample(bytes =>
            {
                var (ok, message, error) = Bounded(bytes, () =>
                {
                    var accepted = ClientMessageReader.TryRead(bytes.AsMemory(), IngestLimits, out var m, out var e);
                    return (accepted, m, e);
                });
                Assert.True(ok ? message is not null : error.IsError && message is null);
            }, iter: 5_000);

    [Fact]
    public void ServerFrameReader_HostileHeaders_EndsWithinTheFrame_BoundedAllocation() =>
        Spliced(Generators.ServerBody.Select(Wire.Encode)).Sample(bytes =>
        {
            var (messages, _) = Bounded(bytes, () => Wire.DrainServer(bytes));
            Assert.InRange(messages, 0, bytes.Length);
        }, iter: 10_000);

    [Fact]
    public void ClientReader_RandomBytes_BoundedAllocation() =>
        Gen.Byte.Array[0, 256].Sample(bytes =>
        {
            // A statement body: an expression returning TryRead's bool would make CsCheck treat "refused" as a failure.
            var (ok, message, error) = Bounded(bytes, () => (ClientMessageReader.TryRead(bytes.AsMemory(), out var m, out var e), m, e));
            Assert.True(ok ? message is not null : error.IsError);
        }, iter: 10_000);

    private static readonly Gen<byte[]> IngestBatch =
        from id in Generators.Positive
        from ticks in (from s in Generators.Symbol from kind in Gen.Int[1, 2] from v in Generators.Int64.Array[5]
                       select new IngestTick(s, new Model.Tick { Kind = (Model.TickKind)kind, ExchangeTimeNs = v[0], BidPrice = v[1], BidSize = v[2], AskPrice = v[3], AskSize = v[4] })).Array[1, 40]
        select Wire.Encode(new IngestTicksRequest(id, ticks));

    /// <summary>
    /// Runs one decode and checks what it cost: allocation within a fixed 16 KiB plus 64 bytes per input
    /// byte (strings and arrays are built from bytes that arrived) on a second, warm run, and no hang (a generous 5 s per input
    /// only catches a decoder that stops consuming its input; it is not a speed target).
    /// </summary>
    private static T Bounded<T>(byte[] input, Func<T> decode)
    {
        // Once unmeasured: the first call on a thread pays for JIT and type initialisation.
        decode();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        var result = decode();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= 16 * 1024 + 64L * input.Length, $"decoding {input.Length} bytes allocated {allocated} bytes: {Wire.Hex(input.AsSpan(0, Math.Min(64, input.Length)))}");
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"decoding {input.Length} bytes took {elapsed}");
        return result;
    }

    private static byte[] Header(byte marker, uint claim)
    {
        var width = marker switch { 0xd9 or 0xc4 => 1, 0xdc or 0xde or 0xda or 0xc5 => 2, _ => 4 };
        var bytes = new byte[1 + width];
        bytes[0] = marker;
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, claim);
        value[(4 - width)..].CopyTo(bytes.AsSpan(1));
        return bytes;
    }

    private static byte[] Flip(byte[] bytes, (int Position, byte Value)[] flips)
    {
        var copy = (byte[])bytes.Clone();
        foreach (var (position, value) in flips)
        {
            copy[position % copy.Length] = value;
        }

        return copy;
    }
}
