namespace MarketStream.Journal.Storage;

/// <summary>A segment on disk as the journal knows it: number, path, creation time and length.</summary>
internal sealed class SegmentFile(long number, string path, long createdUnixNs, long length)
{
    public long Number { get; } = number;

    public string Path { get; } = path;

    public long CreatedUnixNs { get; } = createdUnixNs;

    public long Length { get; set; } = length;
}
