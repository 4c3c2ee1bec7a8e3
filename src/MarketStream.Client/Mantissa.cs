namespace MarketStream.Client;

/// <summary>Fixed-point mantissas to exact decimals (docs/protocol.md §2.3): 108431 at scale 5 is 1.08431m. No binary float on the way.</summary>
public static class Mantissa
{
    /// <summary>
    /// The value of <paramref name="mantissa"/> with <paramref name="scale"/> decimal places (0–9). The decimal
    /// keeps the scale, so 18950 at scale 2 prints as 189.50.
    /// </summary>
    public static decimal ToDecimal(long mantissa, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(scale);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, 9);
        var magnitude = mantissa < 0 ? (ulong)(-(mantissa + 1)) + 1 : (ulong)mantissa; // long.MinValue safe
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, mantissa < 0, (byte)scale);
    }
}
