using System.Text;

namespace MarketStream.Feeds.Tests;

public sealed class FixedPointTests
{
    [Theory]
    [InlineData("189.52", 2, 18952)]
    [InlineData("189.5", 2, 18950)]
    [InlineData("189", 2, 18900)]
    [InlineData("1.500", 2, 150)]
    [InlineData("0.00100000", 8, 100000)]
    [InlineData("-3.25", 2, -325)]
    [InlineData(".5", 1, 5)]
    public void TryParse_Valid(string text, int scale, long expected)
    {
        Assert.True(FixedPoint.TryParse(Encoding.ASCII.GetBytes(text), scale, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1.005", 2)]
    [InlineData("", 2)]
    [InlineData("-", 2)]
    [InlineData(".", 2)]
    [InlineData("1.2.3", 2)]
    [InlineData("1e5", 2)]
    [InlineData(" 1", 2)]
    [InlineData("92233720368547758.08", 2)]
    public void TryParse_Invalid(string text, int scale)
        => Assert.False(FixedPoint.TryParse(Encoding.ASCII.GetBytes(text), scale, out _));

    [Theory]
    [InlineData(18952, 2, "189.52")]
    [InlineData(5, 3, "0.005")]
    [InlineData(-5, 3, "-0.005")]
    [InlineData(42, 0, "42")]
    [InlineData(long.MinValue + 1, 9, "-9223372036.854775807")]
    public void TryFormat_RoundTrips(long mantissa, int scale, string expected)
    {
        Span<byte> buffer = stackalloc byte[40];
        Assert.True(FixedPoint.TryFormat(mantissa, scale, buffer, out var n));
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..n]));
        Assert.True(FixedPoint.TryParse(buffer[..n], scale, out var back));
        Assert.Equal(mantissa, back);
    }
}
