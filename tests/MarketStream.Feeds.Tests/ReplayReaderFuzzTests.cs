using System.Diagnostics;
using System.Text;
using CsCheck;
using MarketStream.Feeds.Replay;
using MarketStream.Model;

namespace MarketStream.Feeds.Tests;

/// <summary>
/// Fuzzing the replay readers (docs/feeds.md): for random and mutated files, the only failure is the
/// documented <see cref="FeedDataException"/>; reading ends (at most one record per input byte); and
/// allocation stays within the reader's fixed buffer plus an amount proportional to the input — never
/// what a header claims. The long-running version is perf/MarketStream.Fuzz (perf/README.md, Fuzzing).
/// </summary>
public sealed class ReplayReaderFuzzTests
{
    private static readonly byte[] ValidCsv = Encoding.ASCII.GetBytes(string.Join('\n', File.ReadLines(Path.Combine(TestData.DataDir, "sample.csv")).Take(40)) + "\n");

    private static readonly Lazy<byte[]> ValidCapture = new(() =>
    {
        using var output = new MemoryStream();
        using (var writer = new BinaryTickWriter(output, TestData.Universe, leaveOpen: true))
        {
            using var reader = new CsvTickReader(new MemoryStream(ValidCsv), TestData.Universe, "seed.csv");
            var tick = default(Tick);
            while (reader.Read(ref tick, out _) != TickReadStatus.End)
            {
                writer.Write(tick);
            }

            writer.Complete();
        }

        return output.ToArray();
    });

    private static readonly Gen<((int Position, byte Value)[] Overwrites, int Cut)> Mutations =
        Gen.Select(
            Gen.Select(Gen.Int[0, int.MaxValue], Gen.OneOf(Gen.Byte, Gen.OneOf<byte>((byte)',', (byte)'\n', (byte)'.', (byte)'-', (byte)'9', 0x00, 0xff))).Array[1, 8],
            Gen.OneOf(Gen.Const(0), Gen.Int[1, int.MaxValue]));

    [Fact]
    public void CsvReader_MutatedFiles_OnlyFeedDataException_EndsAndBounded() =>
        Mutations.Sample(m => ReadAll(Mutate(ValidCsv, m), s => new CsvTickReader(s, TestData.Universe, "fuzz.csv")), iter: 2_000);

    [Fact]
    public void CsvReader_RandomText_OnlyFeedDataException_EndsAndBounded() =>
        Gen.String[Gen.Char["0123456789,.-QTBS\n\r#AEURSDPL "], 0, 400]
            .Sample(text => ReadAll(Encoding.ASCII.GetBytes(CsvTickFormat.Header + "\n" + text), s => new CsvTickReader(s, TestData.Universe, "fuzz.csv")), iter: 2_000);

    [Fact]
    public void BinaryReader_MutatedCaptures_OnlyFeedDataException_EndsAndBounded() =>
        Mutations.Sample(m => ReadAll(Mutate(ValidCapture.Value, m), s => new BinaryTickReader(s, TestData.Universe, "fuzz.mstk")), iter: 2_000);

    [Fact]
    public void BinaryReader_HeaderClaimingMaxSymbols_AllocatesForWhatIsThere()
    {
        var bytes = ValidCapture.Value[..16];
        BitConverter.TryWriteBytes(bytes.AsSpan(8), 65_536u); // BinaryTickFormat.MaxSymbols;

        var allocated = ReadAll(bytes, s => new BinaryTickReader(s, TestData.Universe, "claim.mstk"));

        // The 64 KiB read buffer and small tables; not 65,536 × 12 bytes of symbol tables.
        Assert.InRange(allocated, 0, 100 * 1024);
    }

    /// <summary>Reads to the end or a FeedDataException (anything else fails), checking the bounds in the class summary; returns bytes allocated.</summary>
    private static long ReadAll(byte[] input, Func<Stream, ITickReader> open)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var reader = open(new MemoryStream(input, writable: false));
            var tick = default(Tick);
            var reads = 0;
            while (reader.Read(ref tick, out _) != TickReadStatus.End)
            {
                Assert.True(++reads <= input.Length + 1, "reader returned more records than the input has bytes");
            }
        }
        catch (FeedDataException)
        {
            // The documented refusal.
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= 256 * 1024 + 64L * input.Length, $"reading {input.Length} bytes allocated {allocated} bytes");
        // Generous: only a reader that stops consuming its input gets near it; not a speed target.
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
        return allocated;
    }

    /// <summary>Overwrites bytes, then keeps a prefix (cut 0 keeps everything).</summary>
    private static byte[] Mutate(byte[] bytes, ((int Position, byte Value)[] Overwrites, int Cut) mutation)
    {
        var copy = (byte[])bytes.Clone();
        foreach (var (position, value) in mutation.Overwrites)
        {
            copy[position % copy.Length] = value;
        }

        return mutation.Cut == 0 ? copy : copy[..(mutation.Cut % copy.Length)];
    }
}
