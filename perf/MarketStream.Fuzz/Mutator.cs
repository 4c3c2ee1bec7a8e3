using System.Buffers.Binary;

namespace MarketStream.Fuzz;

/// <summary>
/// AFL-style havoc mutations over a seed, from a seeded PRNG so a run is reproducible: bit flips,
/// random and "interesting" bytes and integers (often MessagePack length fields), inserts, deletes,
/// duplicated blocks, truncation and splices with another seed.
/// </summary>
internal sealed class Mutator(int seed)
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7f, 0x80, 0xc0, 0xc1, 0xc2, 0xc3, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xff, (byte)',', (byte)'\n', (byte)'.', (byte)'-'];
    private static readonly uint[] InterestingInts = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];

    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        var data = new List<byte>(input);
        var rounds = 1 << _random.Next(1, 5);
        for (var i = 0; i < rounds; i++)
        {
            MutateOnce(data, corpus);
        }

        return [.. data];
    }

    private void MutateOnce(List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        if (data.Count == 0)
        {
            data.Add((byte)_random.Next(256));
            return;
        }

        var at = _random.Next(data.Count);
        switch (_random.Next(9))
        {
            case 0:
                data[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1:
                data[at] = (byte)_random.Next(256);
                break;
            case 2:
                data[at] = InterestingBytes[_random.Next(InterestingBytes.Length)];
                break;
            case 3:
            {
                // A big-endian 16- or 32-bit value, as MessagePack and the binary capture store lengths.
                Span<byte> value = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(value, InterestingInts[_random.Next(InterestingInts.Length)]);
                var width = _random.Next(2) == 0 ? 2 : 4;
                for (var k = 0; k < width && at + k < data.Count; k++)
                {
                    data[at + k] = value[4 - width + k];
                }

                break;
            }

            case 4:
                data.Insert(at, (byte)_random.Next(256));
                break;
            case 5:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(8)));
                break;
            case 6:
            {
                var length = Math.Min(data.Count - at, 1 + _random.Next(32));
                data.InsertRange(_random.Next(data.Count), data.GetRange(at, length));
                break;
            }

            case 7:
                data.RemoveRange(at, data.Count - at);
                break;
            default:
            {
                var other = corpus[_random.Next(corpus.Count)];
                if (other.Length > 0)
                {
                    var from = _random.Next(other.Length);
                    data.RemoveRange(at, data.Count - at);
                    data.AddRange(other.AsSpan(from).ToArray());
                }

                break;
            }
        }
    }
}
