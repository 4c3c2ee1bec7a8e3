namespace MarketStream.Journal;

/// <summary>
/// The tick journal (<c>MarketStream:Journal</c>; docs/journal.md, docs/operations.md). Validated
/// at start-up by <see cref="Validate"/>.
/// </summary>
public sealed class JournalOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "MarketStream:Journal";

    /// <summary>
    /// Whether the server journals every sequenced update. Defaults to false: the server does not
    /// yet rebuild its state from the journal on start (docs/journal.md §7).
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>Journal directory, relative to the working directory unless rooted. Defaults to <c>data/journal</c>.</summary>
    public string Path { get; set; } = "data/journal";

    /// <summary>Size at which a new segment is started, in bytes. Defaults to 64 MiB; 1 MiB – 1 GiB.</summary>
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Segments older than this are deleted (a segment goes once the segment after it began before
    /// now − MaxAge). Defaults to 24 h; 1 min – 30 days.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most bytes the journal keeps; the oldest segments go first. Defaults to 10 GiB; at least 2 × <see cref="SegmentBytes"/>.</summary>
    public long MaxTotalBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>
    /// Longest the writer thread holds records before writing them to the file (where a kill -9
    /// cannot lose them). 0 = write at the end of every ring batch. Defaults to 0; 0 – 1,000 ms.
    /// </summary>
    public int FlushIntervalMs { get; set; }

    /// <summary>When written records are forced to stable storage. Defaults to <see cref="FsyncPolicy.Interval"/>.</summary>
    public FsyncPolicy Fsync { get; set; } = FsyncPolicy.Interval;

    /// <summary>Interval of <see cref="FsyncPolicy.Interval"/>. Defaults to 1,000 ms; 10 – 60,000 ms.</summary>
    public int FsyncIntervalMs { get; set; } = 1000;

    /// <summary>
    /// Memory between the journal's ring stage and its writer thread, in bytes: how far the disk may
    /// fall behind before journaling pauses (the ring never waits for the disk). Defaults to 16 MiB
    /// (~190,000 quotes); 1 – 1,024 MiB.
    /// </summary>
    public int HandOffBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long a faulted journal (I/O error, full disk) waits before it tries again. Defaults to 5 s; 100 ms – 10 min.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(SectionName + ":" + message);
            }
        }

        Check(!string.IsNullOrWhiteSpace(Path), "Path must not be empty.");
        Check(SegmentBytes is >= 1L << 20 and <= 1L << 30, $"SegmentBytes must be 1 MiB – 1 GiB (was {SegmentBytes}).");
        Check(MaxAge >= TimeSpan.FromMinutes(1) && MaxAge <= TimeSpan.FromDays(30), $"MaxAge must be 1 minute – 30 days (was {MaxAge}).");
        Check(MaxTotalBytes >= 2 * SegmentBytes, $"MaxTotalBytes must be at least 2 × SegmentBytes (was {MaxTotalBytes}).");
        Check(FlushIntervalMs is >= 0 and <= 1000, $"FlushIntervalMs must be 0 – 1000 (was {FlushIntervalMs}).");
        Check(Enum.IsDefined(Fsync), $"Fsync must be None, Interval or EveryWrite (was {Fsync}).");
        Check(FsyncIntervalMs is >= 10 and <= 60_000, $"FsyncIntervalMs must be 10 – 60000 (was {FsyncIntervalMs}).");
        Check(HandOffBytes is >= 1 << 20 and <= 1 << 30, $"HandOffBytes must be 1 MiB – 1 GiB (was {HandOffBytes}).");
        Check(RetryInterval >= TimeSpan.FromMilliseconds(100) && RetryInterval <= TimeSpan.FromMinutes(10), $"RetryInterval must be 100 ms – 10 min (was {RetryInterval}).");
    }
}
