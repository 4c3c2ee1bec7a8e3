using System.Buffers.Binary;
using MarketStream.Model;
using MarketStream.Core.Symbols;
using MarketStream.Journal.Format;
using MarketStream.Journal.Storage;
using Microsoft.Extensions.Logging;

namespace MarketStream.Journal;

/// <summary>
/// The tick journal of one server (docs/journal.md): its ring stage (<see cref="Stage"/>, to be run
/// beside fan-out, gated on the sequencer) and the writer thread that moves records from the
/// hand-off to segment files, applies flush, fsync and retention policies, and pauses journaling —
/// never the ring — when the disk fails or is full.
/// </summary>
public sealed partial class TickJournal : IDisposable
{
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromSeconds(10);

    private readonly JournalOptions _options;
    private readonly SymbolRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JournalHandOff _handOff;
    private readonly WriterWake _wake = new();
    private readonly SegmentWriter _writer;
    private readonly Func<bool> _hasWork;
    private Thread? _thread;
    private int _stopping;
    private int _state = (int)JournalState.Stopped;
    private long _recordsWritten;
    private long _discarded;
    private long _discardedSinceFault;
    private long _faults;
    private int _segmentCount;
    private long _oldestRetainedNs;
    private long _lastFsyncTicks;
    private long _lastRetentionTicks;
    private long _faultedAtTicks;
    private bool _dirty;
    private bool _startFaulted;

    private TickJournal(JournalOptions options, SymbolRegistry registry, TimeProvider time, ILogger logger, string directory, JournalScan scan)
    {
        _options = options;
        _registry = registry;
        _time = time;
        _logger = logger;
        Directory = directory;
        _handOff = new JournalHandOff(options.HandOffBytes);
        Stage = new JournalStage(_handOff, _wake, wakeEveryBatch: options.FlushIntervalMs == 0);
        _writer = new SegmentWriter(directory, scan.Segments, options.SegmentBytes, NowNs, SnapshotSymbols);
        // With a flush interval the writer sleeps through it unless a whole chunk is waiting.
        _hasWork = options.FlushIntervalMs == 0
            ? () => _handOff.TryPeek(out _) || Volatile.Read(ref _stopping) != 0
            : () => _handOff.HasSealedChunk || Volatile.Read(ref _stopping) != 0;
        PublishSegments();
    }

    /// <summary>The journal directory (absolute).</summary>
    public string Directory { get; }

    /// <summary>The ring stage: add it gated on the sequencer, beside fan-out.</summary>
    public JournalStage Stage { get; }

    /// <summary>Running, paused, faulted or stopped (any thread).</summary>
    public JournalState State => (JournalState)Volatile.Read(ref _state);

    /// <summary>Bytes written to segment files since start (any thread).</summary>
    public long BytesWritten => _writer.BytesWritten;

    /// <summary>Update and gap records written to segment files since start (any thread).</summary>
    public long RecordsWritten => Volatile.Read(ref _recordsWritten);

    /// <summary>Sequenced updates not journaled since start: hand-off full, or discarded while faulted (any thread).</summary>
    public long Missed => Stage.Missed + Volatile.Read(ref _discarded);

    /// <summary>Write faults since start (any thread).</summary>
    public long Faults => Volatile.Read(ref _faults);

    /// <summary>Segments on disk (any thread).</summary>
    public int SegmentCount => Volatile.Read(ref _segmentCount);

    /// <summary>Creation time of the oldest segment kept, Unix ns: how far back the journal reaches (any thread).</summary>
    public long OldestRetainedUnixNs => Volatile.Read(ref _oldestRetainedNs);

    /// <summary>Records in the hand-off not yet written to a file (any thread; with the ring lag of the stage, the journal's lag behind the sequencer).</summary>
    public long PendingRecords => Math.Max(0, Stage.Appended - Volatile.Read(ref _recordsWritten) + Volatile.Read(ref _discarded));

    /// <summary>
    /// Opens (creating if needed) the journal at <see cref="JournalOptions.Path"/>: cuts a torn or
    /// corrupt tail off the newest segment, and moves an unreadable journal aside so a new one starts.
    /// Appending always starts a new segment.
    /// </summary>
    public static TickJournal Open(JournalOptions options, SymbolRegistry registry, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        var directory = Path.GetFullPath(options.Path);
        JournalScan scan;
        try
        {
            scan = JournalScan.Run(directory, repair: true);
            if (scan.UnreadablePath is { } unreadable)
            {
                var aside = JournalScan.MoveAside(directory, time.GetUtcNow());
                Log.MovedAside(logger, unreadable, scan.UnreadableReason!, aside);
                scan = JournalScan.Run(directory, repair: true);
            }
            else if (scan.BytesCut > 0)
            {
                Log.TailCut(logger, scan.BytesCut, scan.NewestTail.ToString(), scan.Segments.Count > 0 ? scan.Segments[^1].Path : directory);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The server streams without a journal rather than not at all: start faulted and retry.
            Log.OpenFailed(logger, ex, directory);
            return new TickJournal(options, registry, time, logger, directory, JournalScan.Empty()) { _startFaulted = true };
        }

        return new TickJournal(options, registry, time, logger, directory, scan);
    }

    /// <summary>Starts the writer thread.</summary>
    public void Start()
    {
        _lastFsyncTicks = _lastRetentionTicks = _faultedAtTicks = Environment.TickCount64;
        Volatile.Write(ref _state, (int)(_startFaulted ? JournalState.Faulted : JournalState.Running));
        if (_startFaulted)
        {
            Interlocked.Increment(ref _faults);
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "journal-writer" };
        _thread.Start();
    }

    /// <summary>
    /// Stops the writer after it has written everything in the hand-off (stop the ring first), then
    /// forces the segment to disk. False when that did not happen within <paramref name="timeout"/>.
    /// </summary>
    public bool Stop(TimeSpan timeout)
    {
        Volatile.Write(ref _stopping, 1);
        _wake.WakeNow();
        var stopped = _thread?.Join(timeout) ?? true;
        Volatile.Write(ref _state, (int)JournalState.Stopped);
        return stopped;
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(5));
        _wake.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            var stopping = Volatile.Read(ref _stopping) != 0;
            WriteAvailable();
            Maintain(stopping);
            if (stopping && !_handOff.TryPeek(out _))
            {
                break;
            }

            if (!stopping)
            {
                _wake.Sleep(_hasWork, SleepMs());
            }
        }

        try
        {
            if (State != JournalState.Faulted)
            {
                _writer.Dispose();
            }
        }
        catch (IOException ex)
        {
            Log.WriteFailed(_logger, ex, Directory);
        }
    }

    private int SleepMs()
    {
        var ms = _options.FlushIntervalMs > 0 ? _options.FlushIntervalMs : 1000;
        return _options.Fsync == FsyncPolicy.Interval ? Math.Min(ms, _options.FsyncIntervalMs) : ms;
    }

    private void WriteAvailable()
    {
        while (_handOff.TryPeek(out var bytes))
        {
            var records = CountRecords(bytes);
            if (State == JournalState.Faulted)
            {
                // Discard rather than hold: the hand-off must keep draining so the stage never pauses on a dead disk.
                _handOff.Consume(bytes.Length);
                _discardedSinceFault += records;
                Volatile.Write(ref _discarded, _discarded + records);
                continue;
            }

            try
            {
                _writer.Write(bytes);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Fault(ex);
                continue; // the bytes are still in the hand-off: the loop discards them
            }

            _handOff.Consume(bytes.Length);
            Volatile.Write(ref _recordsWritten, _recordsWritten + records);
            _dirty = true;
            if (_options.Fsync == FsyncPolicy.EveryWrite)
            {
                Fsync();
            }
        }

        var paused = Stage.IsPaused;
        var state = State;
        if (state == JournalState.Running && paused)
        {
            Volatile.Write(ref _state, (int)JournalState.Paused);
            Log.Paused(_logger, _options.HandOffBytes);
        }
        else if (state == JournalState.Paused && !paused)
        {
            Volatile.Write(ref _state, (int)JournalState.Running);
            Log.Resumed(_logger, Stage.Missed);
        }
    }

    private void Maintain(bool stopping)
    {
        var now = Environment.TickCount64;
        if (State == JournalState.Faulted)
        {
            if (now - _faultedAtTicks >= (long)_options.RetryInterval.TotalMilliseconds || stopping)
            {
                TryRecover(now);
            }

            return;
        }

        if (_dirty && (stopping || (_options.Fsync == FsyncPolicy.Interval && now - _lastFsyncTicks >= _options.FsyncIntervalMs)))
        {
            Fsync();
        }

        if (now - _lastRetentionTicks >= (long)RetentionInterval.TotalMilliseconds)
        {
            _lastRetentionTicks = now;
            try
            {
                var cutoff = NowNs() - (long)(_options.MaxAge.TotalMilliseconds * 1_000_000);
                if (_writer.ApplyRetention(cutoff, _options.MaxTotalBytes) > 0)
                {
                    PublishSegments();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.RetentionFailed(_logger, ex, Directory);
            }
        }

        PublishSegments();
    }

    private void Fsync()
    {
        try
        {
            _writer.FlushToDisk();
            _dirty = false;
            _lastFsyncTicks = Environment.TickCount64;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fault(ex);
        }
    }

    private void Fault(Exception ex)
    {
        _writer.Abandon();
        _faultedAtTicks = Environment.TickCount64;
        Interlocked.Increment(ref _faults);
        if (State != JournalState.Faulted)
        {
            Volatile.Write(ref _state, (int)JournalState.Faulted);
            Log.Faulted(_logger, ex, Directory, _options.RetryInterval.TotalSeconds);
        }
    }

    /// <summary>Starts a new segment and marks what was discarded with a gap record; stays faulted if that fails too.</summary>
    private void TryRecover(long now)
    {
        _faultedAtTicks = now;
        Span<byte> gap = stackalloc byte[RecordWriter.RecordLength(JournalFormat.GapPayloadLength)];
        var length = RecordWriter.WriteGap(gap, _discardedSinceFault, NowNs());
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            _writer.Write(gap[..length]);
            _writer.FlushToDisk();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _writer.Abandon();
            Interlocked.Increment(ref _faults);
            return;
        }

        Log.Recovered(_logger, _discardedSinceFault, Directory);
        _discardedSinceFault = 0;
        Volatile.Write(ref _recordsWritten, _recordsWritten + 1);
        Volatile.Write(ref _state, (int)(Stage.IsPaused ? JournalState.Paused : JournalState.Running));
        PublishSegments();
    }

    private void PublishSegments()
    {
        var segments = _writer.Segments;
        Volatile.Write(ref _segmentCount, segments.Count);
        Volatile.Write(ref _oldestRetainedNs, segments.Count > 0 ? segments[0].CreatedUnixNs : 0);
    }

    private static long CountRecords(ReadOnlySpan<byte> bytes)
    {
        long count = 0;
        var at = 0;
        while (at + JournalFormat.FrameLength <= bytes.Length)
        {
            at += JournalFormat.FrameLength + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]);
            count++;
        }

        return count;
    }

    private long NowNs()
    {
        var now = _time.GetUtcNow();
        return (now.ToUnixTimeMilliseconds() * 1_000_000) + ((now.Ticks % TimeSpan.TicksPerMillisecond) * 100);
    }

    private List<SymbolInfo> SnapshotSymbols()
    {
        var count = _registry.Count;
        var symbols = new List<SymbolInfo>(count);
        for (var id = 0; id < count; id++)
        {
            if (_registry.TryGet(id, out var info))
            {
                symbols.Add(info);
            }
        }

        return symbols;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Journal at {Directory} cannot be read ({Reason} in {Path}); moved aside to {Aside}, starting a new journal")]
        private static partial void MovedAsideCore(ILogger logger, string path, string reason, string aside, string directory);

        public static void MovedAside(ILogger logger, string path, string reason, string aside) => MovedAsideCore(logger, path, reason, aside, Path.GetDirectoryName(path) ?? path);

        [LoggerMessage(2, LogLevel.Warning, "Journal: cut {Bytes} bytes ({Tail} tail) off {Path}; every record before them is kept")]
        public static partial void TailCut(ILogger logger, long bytes, string tail, string path);

        [LoggerMessage(3, LogLevel.Warning, "Journal paused: the disk is behind and the {HandOffBytes}-byte hand-off is full; updates are not journaled until it drains (live streaming continues)")]
        public static partial void Paused(ILogger logger, int handOffBytes);

        [LoggerMessage(4, LogLevel.Information, "Journal resumed; {Missed} updates missed in total")]
        public static partial void Resumed(ILogger logger, long missed);

        [LoggerMessage(5, LogLevel.Error, "Journal write failed in {Directory}; journaling paused, retrying every {RetrySeconds} s (live streaming continues)")]
        public static partial void Faulted(ILogger logger, Exception exception, string directory, double retrySeconds);

        [LoggerMessage(6, LogLevel.Information, "Journal writing again in {Directory}; {Discarded} updates were not journaled while it failed")]
        public static partial void Recovered(ILogger logger, long discarded, string directory);

        [LoggerMessage(7, LogLevel.Warning, "Journal retention could not delete a segment in {Directory}")]
        public static partial void RetentionFailed(ILogger logger, Exception exception, string directory);

        [LoggerMessage(9, LogLevel.Error, "Journal directory {Directory} cannot be opened; journaling paused, retrying (live streaming continues)")]
        public static partial void OpenFailed(ILogger logger, Exception exception, string directory);

        [LoggerMessage(8, LogLevel.Error, "Journal: closing the segment in {Directory} failed")]
        public static partial void WriteFailed(ILogger logger, Exception exception, string directory);
    }
}
