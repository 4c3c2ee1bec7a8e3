using System.Buffers.Binary;
using System.Text.RegularExpressions;
using MarketStream.Testing;

namespace MarketStream.Protocol.Tests;

/// <summary>
/// The book checksum (docs/protocol.md §4.24): the doc's worked example (bytes and value) is what the code computes,
/// and the code agrees with a checksum computed here from the spec's words alone — the 320 bytes built by hand and a
/// bitwise CRC-32 — for random books. Run with MARKETSTREAM_UPDATE_DOCS=1 to rewrite the worked example.
/// </summary>
public partial class BookChecksumTests
{
    [GeneratedRegex(@"<!-- checksum-example -->\n```hex\n(?<hex>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex ExampleBytes();

    [GeneratedRegex(@"<!-- checksum-value -->`0x(?<value>[0-9a-f]{8})`<!-- /checksum-value -->")]
    private static partial Regex ExampleValue();

    /// <summary>CRC-32 as the spec words it: reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF, bit by bit.</summary>
    private static uint ReferenceCrc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>The 320 bytes as §4.24 lists them, built without the production code.</summary>
    private static byte[] ReferenceBytes(BookLevel[] bids, BookLevel[] asks)
    {
        var bytes = new List<byte>(320);
        foreach (var side in new[] { bids, asks })
        {
            for (var i = 0; i < 10; i++)
            {
                var (price, size) = i < side.Length ? (side[i].Price, side[i].Size) : (0L, 0L);
                var buffer = new byte[16];
                BinaryPrimitives.WriteInt64LittleEndian(buffer, price);
                BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(8), size);
                bytes.AddRange(buffer);
            }
        }

        return [.. bytes];
    }

    [Fact]
    public void Doc_WorkedExample_MatchesCode()
    {
        var path = ProtocolDocTests.DocPath();
        var doc = File.ReadAllText(path);
        var hashed = new byte[BookChecksum.HashedBytes];
        BookChecksum.WriteHashedBytes(ChannelExamples.Bids, ChannelExamples.Asks, hashed);
        var value = BookChecksum.Compute(ChannelExamples.Bids, ChannelExamples.Asks);
        if (Environment.GetEnvironmentVariable("MARKETSTREAM_UPDATE_DOCS") == "1")
        {
            doc = ExampleBytes().Replace(doc, _ => $"<!-- checksum-example -->\n```hex\n{ProtocolDocTests.HexRows(hashed)}\n```");
            doc = ExampleValue().Replace(doc, _ => $"<!-- checksum-value -->`0x{value:x8}`<!-- /checksum-value -->");
            File.WriteAllText(path, doc);
        }

        var bytesMatch = ExampleBytes().Match(doc);
        var valueMatch = ExampleValue().Match(doc);
        Assert.True(bytesMatch.Success && valueMatch.Success, "docs/protocol.md §4.24 lost its worked example");
        var docBytes = Convert.FromHexString(Regex.Replace(bytesMatch.Groups["hex"].Value, @"\s+", ""));
        var docValue = Convert.ToUInt32(valueMatch.Groups["value"].Value, 16);

        Assert.Equal(ReferenceBytes(ChannelExamples.Bids, ChannelExamples.Asks), docBytes);
        Assert.Equal(docBytes, hashed);
        Assert.Equal(ReferenceCrc32(docBytes), docValue);
        Assert.Equal(docValue, value);
    }

    [Fact]
    public void Compute_RandomBooks_MatchesIndependentComputation()
    {
        var random = new Random(22);
        for (var round = 0; round < 2_000; round++)
        {
            var bids = RandomSide(random);
            var asks = RandomSide(random);
            Assert.Equal(ReferenceCrc32(ReferenceBytes(bids, asks)), BookChecksum.Compute(bids, asks));
        }
    }

    [Fact]
    public void Compute_LevelsBeyondTenAndOrderCounts_DoNotChangeIt()
    {
        var bids = Enumerable.Range(0, 15).Select(i => new BookLevel(1_000 - i, 10 + i, i)).ToArray();
        var asks = Enumerable.Range(0, 12).Select(i => new BookLevel(1_001 + i, 20 + i, i)).ToArray();
        var expected = BookChecksum.Compute(bids.AsSpan(0, 10), asks.AsSpan(0, 10));

        Assert.Equal(expected, BookChecksum.Compute(bids, asks));
        Assert.Equal(expected, BookChecksum.Compute(bids.Select(l => l with { Orders = 99 }).ToArray(), asks));
        Assert.NotEqual(expected, BookChecksum.Compute(bids, asks.Select((l, i) => i == 9 ? l with { Size = l.Size + 1 } : l).ToArray()));
    }

    [Fact]
    public void Compute_MissingLevels_AreZeroAndSidesAreDistinct()
    {
        BookLevel[] one = [new(100, 5, 1)];
        Assert.Equal(ReferenceCrc32(new byte[320]), BookChecksum.Compute([], []));
        Assert.NotEqual(BookChecksum.Compute(one, []), BookChecksum.Compute([], one));
    }

    [Fact]
    public void Compute_SteadyState_AllocatesNothing()
    {
        var bids = ChannelExamples.Bids;
        var asks = ChannelExamples.Asks;
        BookChecksum.Compute(bids, asks);
        uint sink = 0;
        var allocated = Allocations.BestOf(3, () =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                sink ^= BookChecksum.Compute(bids, asks);
            }
        });

        Assert.Equal(0, allocated);
        GC.KeepAlive(sink);
    }

    private static BookLevel[] RandomSide(Random random)
    {
        var n = random.Next(0, 14);
        var levels = new BookLevel[n];
        for (var i = 0; i < n; i++)
        {
            levels[i] = new BookLevel(random.NextInt64(long.MinValue, long.MaxValue), random.NextInt64(0, long.MaxValue), random.Next());
        }

        return levels;
    }
}
