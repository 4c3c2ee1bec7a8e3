using System.Globalization;

namespace MarketStream.Client.Cli;

/// <summary>Mantissa and scale to exact decimal text (docs/protocol.md §2.3): 108431 at scale 5 is "1.08431".</summary>
internal static class FixedPointText
{
    public static string Format(long mantissa, int scale) => Mantissa.ToDecimal(mantissa, scale).ToString(CultureInfo.InvariantCulture);
}
