using MarketStream.Journal.Format;

namespace MarketStream.Journal.Storage;

/// <summary>
/// What opening a journal directory found: its readable segments in order, the tail it cut off the
/// newest one, or the segment that makes the journal unreadable (docs/journal.md §4).
/// </summary>
internal sealed class JournalScan
{
    private JournalScan(List<SegmentFile> segments)
    {
        Segments = segments;
    }

    /// <summary>A scan of nothing (a journal that could not be opened).</summary>
    public static JournalScan Empty() => new([]);

    /// <summary>Readable segments, oldest first.</summary>
    public List<SegmentFile> Segments { get; }

    /// <summary>The segment that could not be read (bad header or version, or damage before the newest segment's tail); null when none.</summary>
    public string? UnreadablePath { get; private set; }

    /// <summary>Why <see cref="UnreadablePath"/> could not be read.</summary>
    public string? UnreadableReason { get; private set; }

    /// <summary>How the newest segment ended before any cut: a torn or corrupt tail was cut off.</summary>
    public SegmentTail NewestTail { get; private set; } = SegmentTail.Clean;

    /// <summary>Bytes cut off the newest segment's tail.</summary>
    public long BytesCut { get; private set; }

    /// <summary>
    /// Checks every segment of <paramref name="directory"/> (creating the directory if missing) and,
    /// when <paramref name="repair"/>, cuts a torn or corrupt tail off the newest one. Damage anywhere
    /// else makes the journal unreadable: records after it would be silently missing, so the caller
    /// moves the whole journal aside instead (<see cref="MoveAside"/>).
    /// </summary>
    public static JournalScan Run(string directory, bool repair)
    {
        Directory.CreateDirectory(directory);
        var paths = Directory.GetFiles(directory, "*" + JournalFormat.SegmentExtension);
        Array.Sort(paths, StringComparer.Ordinal);
        var scan = new JournalScan(new List<SegmentFile>(paths.Length));
        for (var i = 0; i < paths.Length; i++)
        {
            var path = paths[i];
            var newest = i == paths.Length - 1;
            using var reader = SegmentReader.Open(path, out var status);
            if (reader is null)
            {
                // A newest segment shorter than its header was cut short while being created: drop it.
                if (newest && status == SegmentHeaderStatus.TooShort && repair)
                {
                    scan.BytesCut = new FileInfo(path).Length;
                    scan.NewestTail = SegmentTail.Torn;
                    File.Delete(path);
                    break;
                }

                return scan.Unreadable(path, "segment header: " + status);
            }

            while (reader.TryRead(out _))
            {
            }

            var length = new FileInfo(path).Length;
            if (reader.Tail != SegmentTail.Clean)
            {
                if (!newest)
                {
                    return scan.Unreadable(path, $"{reader.Tail} record at offset {reader.ValidLength} in a segment that is not the newest");
                }

                scan.NewestTail = reader.Tail;
                scan.BytesCut = length - reader.ValidLength;
                if (repair)
                {
                    reader.Dispose();
                    using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
                    file.SetLength(reader.ValidLength);
                    file.Flush(flushToDisk: true);
                    length = reader.ValidLength;
                }
            }

            scan.Segments.Add(new SegmentFile(reader.Header.Number, path, reader.Header.CreatedUnixNs, length));
        }

        return scan;
    }

    /// <summary>
    /// Renames an unreadable journal directory to <c>{directory}.unreadable-{yyyyMMddTHHmmssZ}</c> so a
    /// new journal can start; returns the new path.
    /// </summary>
    public static string MoveAside(string directory, DateTimeOffset now)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var target = full + ".unreadable-" + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        for (var n = 1; Directory.Exists(target) || File.Exists(target); n++)
        {
            target = full + ".unreadable-" + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture) + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Directory.Move(full, target);
        return target;
    }

    private JournalScan Unreadable(string path, string reason)
    {
        UnreadablePath = path;
        UnreadableReason = reason;
        return this;
    }
}
