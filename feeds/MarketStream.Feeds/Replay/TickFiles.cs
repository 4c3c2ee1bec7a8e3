using MarketStream.Feeds.Symbols;

namespace MarketStream.Feeds.Replay;

/// <summary>Opens tick files by path and format.</summary>
public static class TickFiles
{
    /// <summary>The format a path's extension implies, or <see cref="TickFileFormat.Auto"/> when it implies none.</summary>
    public static TickFileFormat FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var extension = Path.GetExtension(path);
        if (string.Equals(extension, CsvTickFormat.Extension, StringComparison.OrdinalIgnoreCase))
        {
            return TickFileFormat.Csv;
        }

        return string.Equals(extension, BinaryTickFormat.Extension, StringComparison.OrdinalIgnoreCase)
            ? TickFileFormat.Binary
            : TickFileFormat.Auto;
    }

    /// <summary>Opens a reader for <paramref name="path"/>.</summary>
    /// <exception cref="FeedDataException">The header is malformed (binary), or the format cannot be inferred.</exception>
    public static ITickReader OpenReader(string path, TickFileFormat format, SymbolUniverse universe)
    {
        ArgumentNullException.ThrowIfNull(path);
        var resolved = Resolve(path, format);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        try
        {
            var name = Path.GetFileName(path);
            return resolved == TickFileFormat.Csv
                ? new CsvTickReader(stream, universe, name)
                : new BinaryTickReader(stream, universe, name);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Creates (or overwrites) <paramref name="path"/> and returns a writer for it.</summary>
    public static ITickWriter CreateWriter(string path, TickFileFormat format, SymbolUniverse universe)
    {
        ArgumentNullException.ThrowIfNull(path);
        var resolved = Resolve(path, format);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1);
        try
        {
            return resolved == TickFileFormat.Csv
                ? new CsvTickWriter(stream, universe)
                : new BinaryTickWriter(stream, universe);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static TickFileFormat Resolve(string path, TickFileFormat format)
    {
        var resolved = format == TickFileFormat.Auto ? FormatOf(path) : format;
        if (resolved is not (TickFileFormat.Csv or TickFileFormat.Binary))
        {
            throw new FeedDataException(Path.GetFileName(path), 0, -1, "cannot tell the format: use a .csv or .mstk extension or name the format");
        }

        return resolved;
    }
}
