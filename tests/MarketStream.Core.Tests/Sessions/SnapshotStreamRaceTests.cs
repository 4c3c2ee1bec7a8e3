using System.Collections.Concurrent;
using System.Diagnostics;
using MarketStream.Core.Sessions;
using MarketStream.Core.Tests.Support;
using MarketStream.Model;

namespace MarketStream.Core.Tests.Sessions;

/// <summary>
/// Sequencer and fan-out on their own threads (fan-out never ahead of the sequencer, as the ring
/// guarantees), while session threads subscribe, resume, re-snapshot, drain and unsubscribe. The
/// k-th tick of each symbol carries bid = k, so every message can be checked against its seq.
/// </summary>
[Trait("Category", "Slow")]
[Collection(StressCollection.Name)]
public class SnapshotStreamRaceTests
{
    private const int Symbols = 4;

    /// <param name="batchedFanOut">
    /// false: fan-out is handed one tick per batch, so every offer is applied at once. true: it is
    /// handed whatever has accumulated (it pauses between batches, as a busy stage does), so offers
    /// are staged for hundreds of ticks and applied per outbox at the end of the batch.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Subscribe_WhileTicksFlow_SnapshotThenContiguousUpdatesNoGapNoDuplicate(bool batchedFanOut)
    {
        var h = new EngineHarness(symbols: Symbols, time: null);
        using var pipeline = new ThreadedPipeline(h, Symbols, tickIntervalNs: 4_000, batchedFanOut);
        var failures = new ConcurrentQueue<string>();
        var stop = new StopFlag();
        var sessions = Enumerable.Range(0, 2).Select(n => new RaceSession(h, n, failures)).ToList();
        var threads = sessions.SelectMany(session => new[]
        {
            new Thread(() => Guard(failures, () => session.RunControl(stop))),
            new Thread(() => Guard(failures, () => session.RunWriter(stop))),
        }).ToList();
        threads.ForEach(t => t.Start());

        // At least 3 s, then until enough was exercised (a loaded machine runs fewer cycles per
        // second), 30 s at most; a failure stops it at once.
        var started = Stopwatch.GetTimestamp();
        while (failures.IsEmpty)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var enough = sessions.Sum(s => s.Cycles) > 200 && sessions.Sum(s => s.Sink.Replays) > 10 && pipeline.Published > 40_000;
            if ((elapsed > TimeSpan.FromSeconds(3) && enough) || elapsed > TimeSpan.FromSeconds(30))
            {
                break;
            }

            Thread.Sleep(50);
        }

        stop.Set();
        threads.ForEach(t => t.Join());
        pipeline.Stop();

        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(5)));
        var cycles = sessions.Sum(s => s.Cycles);
        var checkedUpdates = sessions.Sum(s => s.Sink.CheckedUpdates);
        var replays = sessions.Sum(s => s.Sink.Replays);
        Assert.True(cycles > 100, $"only {cycles} subscribe cycles");
        Assert.True(checkedUpdates > 5_000, $"only {checkedUpdates} updates checked");
        Assert.True(replays > 5, $"only {replays} resumes replayed from history");
        Assert.True(pipeline.Published > 20_000, $"only {pipeline.Published} ticks");
        if (batchedFanOut)
        {
            Assert.True(pipeline.AverageFanOutBatch > 8, $"fan-out batches averaged {pipeline.AverageFanOutBatch:F1} ticks");
        }
    }

    private static void Guard(ConcurrentQueue<string> failures, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            failures.Enqueue(e.ToString());
        }
    }

    private sealed class StopFlag
    {
        private volatile bool _set;

        public bool IsSet => _set;

        public void Set() => _set = true;
    }

    /// <summary>
    /// One connection as the server runs it: a control thread (the reader loop: subscribe, resume,
    /// re-snapshot, unsubscribe) and a writer thread draining concurrently.
    /// </summary>
    private sealed class RaceSession(EngineHarness h, int seed, ConcurrentQueue<string> failures)
    {
        private readonly Random _random = new(seed);
        private readonly SessionOutbox _outbox = h.Outbox(fullCapacity: 512);

        public CheckingSink Sink { get; } = new(failures);

        private long _cycles;

        public long Cycles => Volatile.Read(ref _cycles);

        public void RunControl(StopFlag stop)
        {
            var subscribed = new bool[Symbols];
            while (!stop.IsSet && failures.IsEmpty)
            {
                var symbol = _random.Next(Symbols);
                if (!subscribed[symbol])
                {
                    var mode = _random.Next(2) == 0 ? DeliveryMode.Full : DeliveryMode.Conflated;
                    var last = Sink.LastSeq(symbol);
                    StreamPosition? resume = _random.Next(2) == 0 && last > 0 ? new StreamPosition(7, last) : null;
                    Sink.Expect(symbol, snapshotFirst: resume is null);
                    _outbox.Subscribe(symbol, new SubscriptionOptions(mode), resume);
                    subscribed[symbol] = true;
                    Volatile.Write(ref _cycles, _cycles + 1);
                }
                else if (_random.Next(3) == 0)
                {
                    _outbox.Unsubscribe(symbol);
                    subscribed[symbol] = false;

                    // From here on (the gate orders it) nothing more of this symbol may be drained.
                    Sink.Forbid(symbol);
                }
                else
                {
                    _outbox.RequestSnapshot(symbol);
                }

                Thread.Sleep(_random.Next(2));
            }
        }

        public void RunWriter(StopFlag stop)
        {
            while (!stop.IsSet && failures.IsEmpty)
            {
                Sink.FrameBudget = _random.Next(100, 4000);
                _outbox.Drain(Sink);
                Sink.NewFrame();
                Thread.Yield();
            }
        }
    }

    /// <summary>
    /// Checks each message as it is appended, which happens under the outbox gate, so its view is
    /// ordered with Subscribe/Unsubscribe exactly as a client's would be. The k-th tick of each
    /// symbol carries bid = k, so torn or misplaced bytes are caught too.
    /// </summary>
    private sealed class CheckingSink(ConcurrentQueue<string> failures) : IOutboxSink
    {
        private readonly RecordingSink _decoder = new();
        private readonly long[] _last = new long[Symbols];
        private readonly int[] _state = new int[Symbols]; // 0 forbidden, 1 expect snapshot, 2 live or resuming

        public int FrameBudget
        {
            set => _decoder.FrameBudget = value;
        }

        public long CheckedUpdates { get; private set; }

        public long Replays { get; private set; }

        public long LastSeq(int symbol) => Volatile.Read(ref _last[symbol]);

        public void Expect(int symbol, bool snapshotFirst) => Volatile.Write(ref _state[symbol], snapshotFirst ? 1 : 3);

        public void Forbid(int symbol) => Volatile.Write(ref _state[symbol], 0);

        public void NewFrame() => _decoder.NewFrame();

        public bool TryAppendUpdate(ReadOnlySpan<byte> encodedUpdate) => Check(_decoder.TryAppendUpdate(encodedUpdate));

        public bool TryAppendSnapshot(SymbolInfo symbol, in SymbolSnapshot snapshot, ResetCause reset, bool unsolicited) => Check(_decoder.TryAppendSnapshot(symbol, snapshot, reset, unsolicited));

        public bool TryAppendNotice(in OutboxNotice notice)
        {
            var appended = _decoder.TryAppendNotice(notice);
            _decoder.Items.Clear();
            return appended;
        }

        private bool Check(bool appended)
        {
            foreach (var item in _decoder.Items)
            {
                Check(item);
            }

            _decoder.Items.Clear();
            return appended;
        }

        private void Check(Delivered item)
        {
            var s = item.SymbolId;
            var state = Volatile.Read(ref _state[s]);
            var (bid, seq) = item.Kind switch
            {
                DeliveredKind.Update => (item.Tick.BidPrice, item.Tick.Seq),
                DeliveredKind.Merged => (item.Merged.BidPrice, item.Merged.LastSeq),
                _ => (item.Snapshot.BidPrice, item.Snapshot.Seq),
            };
            if (bid != seq)
            {
                failures.Enqueue($"symbol {s}: {item.Kind} seq {seq} carries bid {bid} (torn or misplaced)");
            }

            if (state == 0)
            {
                failures.Enqueue($"symbol {s}: {item.Kind} {item.FirstSeq} after unsubscribe");
            }
            else if (item.IsSnapshot)
            {
                if (item.LastSeq < _last[s])
                {
                    failures.Enqueue($"symbol {s}: snapshot {item.LastSeq} behind {_last[s]}");
                }
            }
            else if (state == 1)
            {
                failures.Enqueue($"symbol {s}: {item.Kind} {item.FirstSeq} before the snapshot");
            }
            else if (item.FirstSeq != _last[s] + 1)
            {
                failures.Enqueue($"symbol {s}: {item.Kind} {item.FirstSeq}..{item.LastSeq} after {_last[s]} (gap or duplicate)");
            }
            else
            {
                CheckedUpdates += item.Count;
                if (state == 3)
                {
                    Replays++;
                }
            }

            Volatile.Write(ref _state[s], 2);
            Volatile.Write(ref _last[s], item.LastSeq);
        }
    }

    /// <summary>A minimal two-stage ring: a producer thread runs the sequencer, a second thread runs fan-out behind it.</summary>
    private sealed class ThreadedPipeline : IDisposable
    {
        private const int Size = 1024;
        private readonly Tick[] _slots = new Tick[Size];
        private readonly Thread _producer;
        private readonly Thread _fanOut;
        private long _sequenced = -1;
        private long _fanned = -1;
        private long _fanOutBatches;
        private volatile bool _stop;

        public ThreadedPipeline(EngineHarness h, int symbols, long tickIntervalNs, bool batchedFanOut)
        {
            _producer = new Thread(() =>
            {
                var perSymbol = new long[symbols];
                var start = Stopwatch.GetTimestamp();
                for (long i = 0; !_stop; i++)
                {
                    // Paced so resumes find their gap still in history.
                    while (!_stop && (Stopwatch.GetTimestamp() - start) * 1_000_000_000.0 / Stopwatch.Frequency < i * tickIntervalNs)
                    {
                        Thread.SpinWait(20);
                    }

                    while (!_stop && i - Volatile.Read(ref _fanned) > Size)
                    {
                        Thread.Yield();
                    }

                    var symbol = (int)(i % symbols);
                    var k = ++perSymbol[symbol];
                    ref var slot = ref _slots[i % Size];
                    slot = EngineHarness.Quote(symbol, k, k + 1);
                    h.Engine.Sequencing.OnEvent(ref slot, i, true);
                    Volatile.Write(ref _sequenced, i);
                }
            });
            _fanOut = new Thread(() =>
            {
                var random = new Random(5);
                for (long j = 0; !_stop;)
                {
                    var available = Volatile.Read(ref _sequenced);
                    if (available < j)
                    {
                        Thread.SpinWait(20);
                        continue;
                    }

                    // As the ring's batch processor does: every available slot, endOfBatch on the last.
                    var last = batchedFanOut ? available : j;
                    for (; j <= last; j++)
                    {
                        h.Engine.FanOut.OnEvent(ref _slots[j % Size], j, j == last);
                    }

                    _fanOutBatches++;
                    Volatile.Write(ref _fanned, last);
                    if (batchedFanOut && random.Next(4) == 0)
                    {
                        Thread.Sleep(1); // let a batch of a few hundred ticks build up
                    }
                }
            });
            _producer.Start();
            _fanOut.Start();
        }

        public long Published => Volatile.Read(ref _fanned) + 1;

        public double AverageFanOutBatch => (double)Published / Math.Max(1, _fanOutBatches);

        public void Stop()
        {
            _stop = true;
            _producer.Join();
            _fanOut.Join();
        }

        public void Dispose()
        {
            if (!_stop)
            {
                Stop();
            }
        }
    }
}
