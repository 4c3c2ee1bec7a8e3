using System.Globalization;
using System.Text;

namespace MarketStream.Model.Tests;

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
    public void TryParse_Valid_ReturnsExactMantissa(string text, int scale, long expected)
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
    public void TryParse_Invalid_Fails(string text, int scale)
        => Assert.False(FixedPoint.TryParse(Encoding.ASCII.GetBytes(text), scale, out _));

    [Theory]
    [InlineData(18952, 2, "189.52")]
    [InlineData(108431, 5, "1.08431")]
    [InlineData(100, 2, "1.00")]
    [InlineData(0, 2, "0.00")]
    [InlineData(5, 3, "0.005")]
    [InlineData(-5, 3, "-0.005")]
    [InlineData(42, 0, "42")]
    [InlineData(-42, 0, "-42")]
    [InlineData(long.MinValue + 1, 9, "-9223372036.854775807")]
    public void TryFormat_WritesExactlyScaleDecimals_AndParsesBack(long mantissa, int scale, string expected)
    {
        Span<byte> buffer = stackalloc byte[FixedPoint.MaxFormattedLength];
        Assert.True(FixedPoint.TryFormat(mantissa, scale, buffer, out var n));
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..n]));
        Assert.True(FixedPoint.TryParse(buffer[..n], scale, out var back));
        Assert.Equal(mantissa, back);
    }

    [Theory]
    [InlineData(long.MinValue, 0, "-9223372036854775808")]
    [InlineData(long.MinValue, 1, "-922337203685477580.8")]
    [InlineData(long.MinValue, 9, "-9223372036.854775808")]
    [InlineData(long.MaxValue, 5, "92233720368547.75807")]
    [InlineData(-1, 9, "-0.000000001")]
    public void TryFormat_Extremes_FitMaxFormattedLength(long mantissa, int scale, string expected)
    {
        Span<byte> buffer = stackalloc byte[FixedPoint.MaxFormattedLength];
        Assert.True(FixedPoint.TryFormat(mantissa, scale, buffer, out var n));
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..n]));
        Assert.Equal(expected, FixedPoint.Format(mantissa, scale));
    }

    [Fact]
    public void TryFormat_DestinationTooShort_ReturnsFalse()
    {
        Span<byte> buffer = stackalloc byte[6];
        Assert.False(FixedPoint.TryFormat(18952, 2, buffer[..5], out _));
        Assert.False(FixedPoint.TryFormat(-1, 2, buffer[..0], out _));
        Assert.True(FixedPoint.TryFormat(18952, 2, buffer, out var n));
        Assert.Equal(6, n);
    }

    [Theory]
    [InlineData(18950, 2, "189.50")]
    [InlineData(108431, 5, "1.08431")]
    [InlineData(-325, 2, "-3.25")]
    [InlineData(7, 0, "7")]
    [InlineData(long.MinValue, 9, "-9223372036.854775808")]
    [InlineData(long.MaxValue, 0, "9223372036854775807")]
    public void ToDecimal_KeepsTheScale_AndAgreesWithFormat(long mantissa, int scale, string expected)
    {
        var value = FixedPoint.ToDecimal(mantissa, scale);
        Assert.Equal(expected, value.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(expected, FixedPoint.Format(mantissa, scale));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    public void ScaleOutsideZeroToNine_Throws(int scale)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.ToDecimal(1, scale));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.Format(1, scale));
    }

    [Fact]
    public void Pow10_IsTheMantissaOfOne()
    {
        for (var scale = 0; scale <= SymbolInfo.MaxScale; scale++)
        {
            Assert.Equal((long)Math.Pow(10, scale), FixedPoint.Pow10(scale));
            Assert.Equal(1m, FixedPoint.ToDecimal(FixedPoint.Pow10(scale), scale));
        }
    }
}
