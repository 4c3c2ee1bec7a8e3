using System.Text;
using MarketStream.Journal.Format;

namespace MarketStream.Journal.Tests;

public sealed class Crc32CTests
{
    [Fact]
    public void Compute_CheckString_MatchesCastagnoliCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Fact]
    public void Compute_AnyLength_MatchesBitwiseReference()
    {
        var random = new Random(7);
        for (var length = 0; length < 70; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Reference(data), Crc32C.Compute(data));
        }
    }

    [Fact]
    public void Compute_Rfc3720Vector_32Zeros()
    {
        // RFC 3720 B.4: 32 bytes of zeros → 0x8A9136AA.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.NotEqual(Crc32C.Compute(Encoding.ASCII.GetBytes("a")), Crc32C.Compute(Encoding.ASCII.GetBytes("b")));
    }

    private static uint Reference(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
