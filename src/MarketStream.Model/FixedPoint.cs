using System.Buffers.Text;

namespace MarketStream.Model;

/// <summary>
/// Fixed-point values (docs/protocol.md §2.3): a price or size travels as an integer mantissa and
/// the symbol's scale, and its value is <c>mantissa / 10^scale</c> (108431 at scale 5 is 1.08431).
/// This type converts mantissas exactly to and from decimal text and <see cref="decimal"/>, never
/// through a binary float; text is UTF-8 bytes so file readers, writers and JSON encoders do not
/// allocate a string per value. Scales run from 0 to <see cref="SymbolInfo.MaxScale"/>.
/// </summary>
public static class FixedPoint
{
    /// <summary>
    /// Longest text <see cref="TryFormat"/> writes: a sign, the 19 digits of <see cref="long.MaxValue"/>
    /// and a decimal point.
    /// </summary>
    public const int MaxFormattedLength = 21;

    private static readonly long[] Powers =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
    ];

    /// <summary>10 to the power <paramref name="scale"/> (0–9): the mantissa of 1 at that scale.</summary>
    public static long Pow10(int scale) => Powers[scale];

    /// <summary>
    /// The value of <paramref name="mantissa"/> with <paramref name="scale"/> decimal places (0–9). The decimal
    /// keeps the scale, so 18950 at scale 2 prints as 189.50.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is outside 0–9.</exception>
    public static decimal ToDecimal(long mantissa, int scale)
    {
        CheckScale(scale);
        var magnitude = Magnitude(mantissa);
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, mantissa < 0, (byte)scale);
    }

    /// <summary>
    /// <paramref name="mantissa"/> as decimal text with exactly <paramref name="scale"/> decimals
    /// (100 at scale 2 is <c>1.00</c>), invariant culture.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is outside 0–9.</exception>
    public static string Format(long mantissa, int scale)
    {
        Span<byte> text = stackalloc byte[MaxFormattedLength];
        TryFormat(mantissa, scale, text, out var written);
        return System.Text.Encoding.ASCII.GetString(text[..written]);
    }

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

    /// <summary>
    /// Writes <paramref name="mantissa"/> as decimal text with exactly <paramref name="scale"/> decimals
    /// (5 at scale 3 is <c>0.005</c>); false if <paramref name="destination"/> is too short, which
    /// <see cref="MaxFormattedLength"/> bytes never are.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is outside 0–9.</exception>
    public static bool TryFormat(long mantissa, int scale, Span<byte> destination, out int written)
    {
        CheckScale(scale);
        written = 0;
        if (scale == 0)
        {
            return Utf8Formatter.TryFormat(mantissa, destination, out written);
        }

        var pos = 0;
        if (mantissa < 0)
        {
            if (destination.IsEmpty)
            {
                return false;
            }

            destination[pos++] = (byte)'-';
        }

        var abs = Magnitude(mantissa);
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

    // As ulong so long.MinValue has a magnitude too.
    private static ulong Magnitude(long mantissa) => mantissa < 0 ? (ulong)(-(mantissa + 1)) + 1 : (ulong)mantissa;

    private static void CheckScale(int scale)
    {
        if ((uint)scale > SymbolInfo.MaxScale)
        {
            ThrowScaleOutOfRange(scale);
        }
    }

    private static void ThrowScaleOutOfRange(int scale) =>
        throw new ArgumentOutOfRangeException(nameof(scale), scale, $"A scale is 0–{SymbolInfo.MaxScale}.");
}
