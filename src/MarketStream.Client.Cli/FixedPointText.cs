using System.Globalization;

namespace MarketStream.Client.Cli;

/// <summary>Mantissa and scale to exact decimal text (docs/protocol.md §2.3): 108431 at scale 5 is "1.08431". No float on the way.</summary>
internal static class FixedPointText
{
    public static string Format(long mantissa, int scale)
    {
        if (scale == 0)
        {
            return mantissa.ToString(CultureInfo.InvariantCulture);
        }

        var value = new decimal(mantissa) / Pow10(scale);
        return value.ToString("F" + scale.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static decimal Pow10(int scale)
    {
        var result = 1m;
        for (var i = 0; i < scale; i++)
        {
            result *= 10;
        }

        return result;
    }
}
