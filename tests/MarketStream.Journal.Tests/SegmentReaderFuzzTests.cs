using MarketStream.Model;
using MarketStream.Journal.Format;

namespace MarketStream.Journal.Tests;

/// <summary>
/// Damages a segment at random places (seeded) and checks the reader's promise: never an exception
/// other than a refused header, never more memory than its fixed buffer, and every record before
/// the first damaged byte returned intact.
/// </summary>
public sealed class SegmentReaderFuzzTests
{
    private const int Records = 400;

    [Fact]
    public void TryRead_RandomDamage_ReturnsExactlyTheIntactPrefix()
    {
        using var dir = new TestDirectory();
        var (ticks, ends, path) = SegmentFiles.WriteSegment(dir.Path, Records, seed: 11);
        var original = File.ReadAllBytes(path);
        var damaged = Path.Combine(dir.Path, "damaged.bin");
        var random = new Random(20261208);

        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var bytes = (byte[])original.Clone();
            var firstDamage = Damage(bytes, random, out var length);
            File.WriteAllBytes(damaged, bytes.AsSpan(0, length).ToArray());

            var before = GC.GetAllocatedBytesForCurrentThread();
            var read = ReadAll(damaged, out var headerStatus, out var tail);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            // Fixed buffer (2 × 64 KiB) + the test's list; never proportional to a length prefix.
            Assert.True(allocated < 512 * 1024, $"iteration {iteration}: {allocated} bytes allocated");
            if (firstDamage < JournalFormat.HeaderLength)
            {
                // Damage inside the header: refused (or, for a flip the checksum cannot see, nothing).
                Assert.True(headerStatus != SegmentHeaderStatus.Ok || read is not null, $"iteration {iteration}");
                continue;
            }

            Assert.Equal(SegmentHeaderStatus.Ok, headerStatus);
            var intact = CountRecordsEndingBy(ends, firstDamage);
            Assert.True(read!.Count >= intact, $"iteration {iteration}: {read.Count} read, {intact} intact before offset {firstDamage}");
            for (var i = 0; i < intact; i++)
            {
                Assert.Equal(ticks[i], read[i]);
            }

            // A record past the damage is returned only if it is byte-for-byte what was written
            // (a truncation at a record boundary, or a flip the checksum cannot see: 2^-32).
            for (var i = intact; i < read.Count; i++)
            {
                Assert.Equal(ticks[i], read[i]);
            }

            Assert.NotEqual(SegmentTail.Unread, tail);
        }
    }

    /// <summary>Records whose last byte lies before <paramref name="offset"/>.</summary>
    private static int CountRecordsEndingBy(long[] ends, long offset)
    {
        var count = 0;
        while (count < ends.Length && ends[count] <= offset)
        {
            count++;
        }

        return count;
    }

    /// <summary>Applies one random kind of damage; returns the first offset changed (the new length for a truncation).</summary>
    private static long Damage(byte[] bytes, Random random, out int length)
    {
        length = bytes.Length;
        switch (random.Next(5))
        {
            case 0:
                // Truncation anywhere (kill -9 mid-write).
                length = random.Next(bytes.Length);
                return length;
            case 1:
            {
                // One flipped bit.
                var at = random.Next(bytes.Length);
                bytes[at] ^= (byte)(1 << random.Next(8));
                return at;
            }

            case 2:
            {
                // A run of zeros from some offset to the end (a file system's zero-filled tail after power loss).
                var at = random.Next(bytes.Length);
                Array.Clear(bytes, at, bytes.Length - at);
                return at;
            }

            case 3:
            {
                // A random length prefix planted at a record boundary.
                var at = random.Next(bytes.Length - 4);
                var value = random.Next(4) switch { 0 => uint.MaxValue, 1 => (uint)JournalFormat.MaxBodyLength + 1, 2 => 0u, _ => (uint)random.Next() };
                var old = BitConverter.ToUInt32(bytes, at);
                BitConverter.TryWriteBytes(bytes.AsSpan(at), value);
                return old == value ? bytes.Length : at;
            }

            default:
            {
                // Random garbage over a short run, then truncation.
                var at = random.Next(bytes.Length);
                var run = Math.Min(random.Next(1, 64), bytes.Length - at);
                var garbage = new byte[run];
                random.NextBytes(garbage);
                var first = bytes.Length;
                for (var i = 0; i < run; i++)
                {
                    if (bytes[at + i] != garbage[i])
                    {
                        first = Math.Min(first, at + i);
                    }

                    bytes[at + i] = garbage[i];
                }

                length = random.Next(at, bytes.Length + 1);
                return Math.Min(first, length);
            }
        }
    }

    private static List<Tick>? ReadAll(string path, out SegmentHeaderStatus status, out SegmentTail tail)
    {
        tail = SegmentTail.Unread;
        using var reader = SegmentReader.Open(path, out status);
        if (reader is null)
        {
            return null;
        }

        var ticks = new List<Tick>(Records);
        while (reader.TryRead(out var record))
        {
            if (record.Type == RecordType.Update)
            {
                ticks.Add(SegmentFiles.ToTick(in record));
            }
        }

        tail = reader.Tail;
        return ticks;
    }
}
