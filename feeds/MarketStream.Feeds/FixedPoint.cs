using System.Buffers.Text;

namespace MarketStream.Feeds;

/// <summary>
/// Exact conversion between decimal text (<c>189.52</c>) and fixed-point mantissas with a given
/// scale, on UTF-8 bytes so file readers and writers never allocate a string per value.
/// </summary>
internal static class FixedPoint
{
    private static readonly long[] Powers =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
    ];

    public static long Pow10(int scale) => Powers[scale];

    /// <summary>
    /// Parses <c>[-]digits[.digits]</c> into a mantissa with <paramref name="scale"/> decimals.
    /// Fails on any other character, on more significant decimals than the scale allows (a price
    /// is never silently rounded), and on overflow.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, int scale, out long mantissa)
    {
        mantissa = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        var negative = text[0] == (byte)'-';
        if (negative)
        {
            text = text[1..];
        }

        if (text.IsEmpty)
        {
            return false;
        }

        long value = 0;
        var decimals = -1;
        var digits = 0;
        foreach (var c in text)
        {
            if (c == (byte)'.')
            {
                if (decimals >= 0)
                {
                    return false;
                }

                decimals = 0;
                continue;
            }

            var d = c - (byte)'0';
            if ((uint)d > 9)
            {
                return false;
            }

            digits++;
            if (decimals >= 0)
            {
                decimals++;
                if (decimals > scale)
                {
                    // Only trailing zeros may go past the scale: 1.500 at scale 2 is 1.50.
                    if (d != 0)
                    {
                        return false;
                    }

                    continue;
                }
            }

            if (value > (long.MaxValue - d) / 10)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        if (digits == 0)
        {
            return false;
        }

        var used = Math.Max(0, Math.Min(decimals, scale));
        for (var i = used; i < scale; i++)
        {
            if (value > long.MaxValue / 10)
            {
                return false;
            }

            value *= 10;
        }

        mantissa = negative ? -value : value;
        return true;
    }

    /// <summary>Writes <paramref name="mantissa"/> as decimal text with exactly <paramref name="scale"/> decimals.</summary>
    public static bool TryFormat(long mantissa, int scale, Span<byte> destination, out int written)
    {
        written = 0;
        if (scale == 0)
        {
            return Utf8Formatter.TryFormat(mantissa, destination, out written);
        }

        var pos = 0;
        ulong abs;
        if (mantissa < 0)
        {
            if (destination.IsEmpty)
            {
                return false;
            }

            destination[pos++] = (byte)'-';
            abs = (ulong)(-(mantissa + 1)) + 1; // long.MinValue safe
        }
        else
        {
            abs = (ulong)mantissa;
        }

        var pow = (ulong)Powers[scale];
        if (!Utf8Formatter.TryFormat(abs / pow, destination[pos..], out var intLen))
        {
            return false;
        }

        pos += intLen;
        if (destination.Length < pos + 1 + scale)
        {
            return false;
        }

        destination[pos++] = (byte)'.';
        var frac = abs % pow;
        for (var i = scale - 1; i >= 0; i--)
        {
            destination[pos + i] = (byte)('0' + (int)(frac % 10));
            frac /= 10;
        }

        written = pos + scale;
        return true;
    }
}
