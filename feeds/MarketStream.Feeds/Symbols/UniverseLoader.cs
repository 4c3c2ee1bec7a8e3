using System.Text;
using MarketStream.Model;

namespace MarketStream.Feeds.Symbols;

/// <summary>
/// Reads a universe file (docs/feeds.md §Universe): a header row
/// <c>name,price_scale,size_scale,currency,venue,start_price,lot_size</c>, then one symbol per
/// line; blank lines and lines starting with <c>#</c> are ignored. Ids follow file order from 0.
/// </summary>
public static class UniverseLoader
{
    /// <summary>The header row every universe file starts with.</summary>
    public const string Header = "name,price_scale,size_scale,currency,venue,start_price,lot_size";

    /// <summary>Largest universe accepted from a file.</summary>
    public const int MaxSymbols = 65_536;

    private const int MaxLineLength = 512;
    private const string EmbeddedName = "MarketStream.Feeds.universe.csv";

    /// <summary>Loads a universe file.</summary>
    /// <exception cref="FeedDataException">The file is malformed; the message names the line.</exception>
    public static SymbolUniverse Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Load(stream, Path.GetFileName(path));
    }

    /// <summary>Loads the universe shipped inside this assembly (a copy of feeds/data/universe.csv).</summary>
    public static SymbolUniverse LoadEmbedded()
    {
        using var stream = typeof(UniverseLoader).Assembly.GetManifestResourceStream(EmbeddedName)
            ?? throw new InvalidOperationException($"The embedded universe resource '{EmbeddedName}' is missing.");
        return Load(stream, "embedded universe.csv");
    }

    /// <summary>Loads a universe from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="FeedDataException">The input is malformed; the message names the line.</exception>
    public static SymbolUniverse Load(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 4096, leaveOpen: true);
        var entries = new List<UniverseEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long lineNo = 0;
        var sawHeader = false;
        Span<byte> utf8 = stackalloc byte[64];
        while (ReadBoundedLine(reader, sourceName, lineNo + 1) is { } raw)
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (!sawHeader)
            {
                if (!string.Equals(line, Header, StringComparison.Ordinal))
                {
                    throw new FeedDataException(sourceName, lineNo, -1, $"expected the header '{Header}'");
                }

                sawHeader = true;
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != 7)
            {
                throw new FeedDataException(sourceName, lineNo, -1, $"expected 7 fields, found {fields.Length}");
            }

            var name = fields[0].Trim();
            if (name.Length is 0 or > SymbolInfo.MaxNameLength)
            {
                throw new FeedDataException(sourceName, lineNo, -1, $"symbol name must be 1–{SymbolInfo.MaxNameLength} characters");
            }

            if (!names.Add(name))
            {
                throw new FeedDataException(sourceName, lineNo, -1, $"symbol '{name}' appears twice");
            }

            var priceScale = ParseScale(fields[1], "price_scale", sourceName, lineNo);
            var sizeScale = ParseScale(fields[2], "size_scale", sourceName, lineNo);
            var startPrice = ParseMantissa(fields[5], priceScale, "start_price", sourceName, lineNo, utf8);
            var lot = ParseMantissa(fields[6], sizeScale, "lot_size", sourceName, lineNo, utf8);
            if (entries.Count >= MaxSymbols)
            {
                throw new FeedDataException(sourceName, lineNo, -1, $"more than {MaxSymbols} symbols");
            }

            var info = new SymbolInfo(entries.Count, name, priceScale, sizeScale, fields[3].Trim(), fields[4].Trim());
            entries.Add(new UniverseEntry(info, startPrice, lot));
        }

        if (!sawHeader)
        {
            throw new FeedDataException(sourceName, 0, -1, $"empty: expected the header '{Header}'");
        }

        if (entries.Count == 0)
        {
            throw new FeedDataException(sourceName, 0, -1, "no symbols");
        }

        return new SymbolUniverse(entries);
    }

    private static string? ReadBoundedLine(StreamReader reader, string sourceName, long lineNo)
    {
        // A line without an end would otherwise grow a string without bound.
        var sb = new StringBuilder();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c == '\n')
            {
                return sb.ToString();
            }

            if (sb.Length >= MaxLineLength)
            {
                throw new FeedDataException(sourceName, lineNo, -1, $"line longer than {MaxLineLength} characters");
            }

            sb.Append((char)c);
        }

        return sb.Length > 0 ? sb.ToString() : null;
    }

    private static byte ParseScale(string text, string column, string source, long line)
    {
        if (!byte.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var scale) || scale > SymbolInfo.MaxScale)
        {
            throw new FeedDataException(source, line, -1, $"{column} '{text}' is not an integer 0–{SymbolInfo.MaxScale}");
        }

        return scale;
    }

    private static long ParseMantissa(string text, int scale, string column, string source, long line, Span<byte> buffer)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > buffer.Length || Encoding.UTF8.GetByteCount(trimmed) > buffer.Length)
        {
            throw new FeedDataException(source, line, -1, $"{column} '{trimmed}' is too long");
        }

        var n = Encoding.UTF8.GetBytes(trimmed, buffer);
        if (!FixedPoint.TryParse(buffer[..n], scale, out var mantissa) || mantissa <= 0)
        {
            throw new FeedDataException(source, line, -1, $"{column} '{trimmed}' is not a positive decimal with at most {scale} decimals");
        }

        return mantissa;
    }
}
