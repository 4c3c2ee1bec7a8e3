using MarketStream.Model;


namespace MarketStream.Server.Sse;

/// <summary>
/// The SSE event id: the position <c>(epoch, seq)</c> of <b>every</b> symbol of the stream after
/// the event, so the single <c>Last-Event-ID</c> a browser keeps resumes all of them with no gap and
/// no duplicate (docs/sse.md, event ids). Format, numbers in lower-case base 36:
/// <code>1:&lt;setHash&gt;:&lt;baseEpoch&gt;:&lt;entry&gt;,&lt;entry&gt;,…</code>
/// one entry per symbol in the stream's canonical order (names sorted ordinally): empty = no
/// position yet (the symbol's snapshot was not delivered), <c>seq</c> = at (baseEpoch, seq),
/// <c>seq~epoch</c> = at (epoch, seq) when it differs from baseEpoch. <c>setHash</c> is FNV-1a over
/// the canonical names: a reconnect whose symbol set differs (a pattern now covers more symbols)
/// cannot map positions and gets resets instead of guesses.
/// </summary>
internal static class SseEventId
{
    public const string Version = "1";

    /// <summary>Longest id accepted on reconnect (Kestrel's default request header limit is 32 KiB).</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>FNV-1a 32 over the names in canonical order, '\n'-separated.</summary>
    public static uint HashSymbols(IReadOnlyList<SymbolInfo> symbols)
    {
        var hash = 2166136261u;
        for (var i = 0; i < symbols.Count; i++)
        {
            foreach (var c in symbols[i].Name)
            {
                hash = (hash ^ c) * 16777619u;
            }

            hash = (hash ^ '\n') * 16777619u;
        }

        return hash;
    }

    /// <summary>Writes the id for the given positions (<paramref name="seqs"/>[i] &lt; 0 = no position).</summary>
    public static void Write(SseBuffer output, uint setHash, long baseEpoch, ReadOnlySpan<long> epochs, ReadOnlySpan<long> seqs)
    {
        output.WriteByte((byte)'1');
        output.WriteByte((byte)':');
        output.WriteBase36(setHash);
        output.WriteByte((byte)':');
        output.WriteBase36((ulong)baseEpoch);
        output.WriteByte((byte)':');
        for (var i = 0; i < seqs.Length; i++)
        {
            if (i > 0)
            {
                output.WriteByte((byte)',');
            }

            if (seqs[i] < 0)
            {
                continue;
            }

            output.WriteBase36((ulong)seqs[i]);
            if (epochs[i] != baseEpoch)
            {
                output.WriteByte((byte)'~');
                output.WriteBase36((ulong)epochs[i]);
            }
        }
    }

    /// <summary>
    /// Parses an id for a stream of <paramref name="count"/> symbols with <paramref name="setHash"/>.
    /// False when it is not an id of this stream (other version, other symbol set, malformed): the
    /// caller then resets every symbol (reason 3, unknown position). On success <paramref name="seqs"/>[i]
    /// is −1 where the id holds no position.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> id, uint setHash, int count, Span<long> epochs, Span<long> seqs)
    {
        if (id.Length > MaxLength || !id.StartsWith("1:"))
        {
            return false;
        }

        id = id[2..];
        if (!TryTakeNumber(ref id, ':', out var hash) || hash != setHash || !TryTakeNumber(ref id, ':', out var baseEpoch) || baseEpoch == 0)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var end = id.IndexOf(',');
            if ((end < 0) != (i == count - 1))
            {
                return false;
            }

            var entry = end < 0 ? id : id[..end];
            id = end < 0 ? [] : id[(end + 1)..];
            if (entry.IsEmpty)
            {
                seqs[i] = -1;
                epochs[i] = 0;
                continue;
            }

            var tilde = entry.IndexOf('~');
            if (!TryParseBase36(tilde < 0 ? entry : entry[..tilde], out var seq) || seq > long.MaxValue)
            {
                return false;
            }

            var epoch = baseEpoch;
            if (tilde >= 0 && (!TryParseBase36(entry[(tilde + 1)..], out epoch) || epoch == 0))
            {
                return false;
            }

            if (epoch > long.MaxValue)
            {
                return false;
            }

            seqs[i] = (long)seq;
            epochs[i] = (long)epoch;
        }

        return true;
    }

    private static bool TryTakeNumber(ref ReadOnlySpan<char> text, char separator, out ulong value)
    {
        var end = text.IndexOf(separator);
        value = 0;
        if (end <= 0 || !TryParseBase36(text[..end], out value))
        {
            return false;
        }

        text = text[(end + 1)..];
        return true;
    }

    private static bool TryParseBase36(ReadOnlySpan<char> digits, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 13)
        {
            return false;
        }

        foreach (var c in digits)
        {
            int d;
            if (c is >= '0' and <= '9')
            {
                d = c - '0';
            }
            else if (c is >= 'a' and <= 'z')
            {
                d = c - 'a' + 10;
            }
            else
            {
                return false;
            }

            if (value > (ulong.MaxValue - (ulong)d) / 36)
            {
                return false;
            }

            value = (value * 36) + (ulong)d;
        }

        return true;
    }
}
