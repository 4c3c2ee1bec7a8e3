namespace MarketStream.Server.Sse;

/// <summary>
/// Writes a fixed-point mantissa as an exact decimal string with exactly <c>scale</c> decimals
/// (108431 at scale 5 → <c>1.08431</c>; 100 at scale 2 → <c>1.00</c>): JSON clients must never see a
/// binary float in place of a price (docs/protocol.md §2.3).
/// </summary>
internal static class FixedPointText
{
    /// <summary>Enough for a sign, 19 digits, a point and a leading zero.</summary>
    public const int MaxLength = 24;

    public static int Format(long mantissa, int scale, Span<byte> destination)
    {
        // Magnitude as ulong so long.MinValue has one too.
        var magnitude = mantissa < 0 ? (ulong)(-(mantissa + 1)) + 1 : (ulong)mantissa;
        Span<byte> digits = stackalloc byte[20];
        var n = 0;
        do
        {
            digits[n++] = (byte)('0' + (int)(magnitude % 10));
            magnitude /= 10;
        }
        while (magnitude != 0);

        while (n <= scale)
        {
            digits[n++] = (byte)'0';
        }

        var pos = 0;
        if (mantissa < 0)
        {
            destination[pos++] = (byte)'-';
        }

        for (var i = n - 1; i >= scale; i--)
        {
            destination[pos++] = digits[i];
        }

        if (scale > 0)
        {
            destination[pos++] = (byte)'.';
            for (var i = scale - 1; i >= 0; i--)
            {
                destination[pos++] = digits[i];
            }
        }

        return pos;
    }
}
