using System.Buffers.Binary;

namespace MarketStream.Journal.Tests;

public sealed class JournalHandOffTests
{
    /// <summary>
    /// Producer and consumer on their own threads, records of varying length carrying a running
    /// number: the consumer gets every record the producer got room for, whole, in order, once.
    /// </summary>
    [Fact]
    public void ProducerAndConsumer_Concurrent_EveryAcceptedRecordArrivesOnceInOrder()
    {
        var handOff = new JournalHandOff(1 << 20);
        const long Total = 2_000_000;
        long accepted = 0;
        var producer = new Thread(() =>
        {
            var random = new Random(5);
            for (long n = 0; n < Total; n++)
            {
                var length = 12 + random.Next(0, 200);
                var room = handOff.TryReserve(length);
                if (room.IsEmpty)
                {
                    continue; // missed, as the journal stage does
                }

                BinaryPrimitives.WriteInt32LittleEndian(room, length);
                BinaryPrimitives.WriteInt64LittleEndian(room[4..], accepted);
                room[12..length].Fill((byte)accepted);
                handOff.Advance(length);
                accepted++;
            }
        });

        long received = 0;
        var failure = (string?)null;
        var done = 0;
        var consumer = new Thread(() =>
        {
            while (true)
            {
                var finished = Volatile.Read(ref done) != 0;
                while (handOff.TryPeek(out var bytes))
                {
                    var at = 0;
                    while (at < bytes.Length)
                    {
                        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
                        var number = BinaryPrimitives.ReadInt64LittleEndian(bytes[(at + 4)..]);
                        if (number != received || bytes.Slice(at + 12, length - 12).IndexOfAnyExcept((byte)number) >= 0)
                        {
                            failure ??= $"record {received}: got number {number}";
                        }

                        received++;
                        at += length;
                    }

                    handOff.Consume(bytes.Length);
                }

                if (finished)
                {
                    return;
                }

                Thread.Yield();
            }
        });

        producer.Start();
        consumer.Start();
        producer.Join();
        Volatile.Write(ref done, 1);
        consumer.Join();

        Assert.Null(failure);
        Assert.Equal(accepted, received);
        Assert.True(accepted > 0);
    }

    [Fact]
    public void TryReserve_ConsumerStalled_GivesNoRoomInsteadOfWaiting()
    {
        var handOff = new JournalHandOff(1 << 20);
        var records = 0;
        while (!handOff.TryReserve(1000).IsEmpty && records < 10_000)
        {
            handOff.Advance(1000);
            records++;
        }

        // Every chunk filled (the last one as far as a record fits), nothing beyond.
        Assert.InRange(records, (JournalHandOff.ChunkCount - 1) * (handOff.ChunkBytes / 1000), JournalHandOff.ChunkCount * (handOff.ChunkBytes / 1000));

        // The consumer writes one chunk and releases it: room again.
        Assert.True(handOff.TryPeek(out var first));
        handOff.Consume(first.Length);
        Assert.True(handOff.TryPeek(out _)); // releases the first chunk, peeks the second
        Assert.False(handOff.TryReserve(1000).IsEmpty);
    }
}
