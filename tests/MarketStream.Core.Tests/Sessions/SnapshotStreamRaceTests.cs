using System.Collections.Concurrent;
using System.Diagnostics;
using MarketStream.Core.Market;
using MarketStream.Core.Sessions;
using MarketStream.Core.Tests.Support;

namespace MarketStream.Core.Tests.Sessions;

/// <summary>
/// Sequencer and fan-out on their own threads (fan-out never ahead of the sequencer, as the ring
/// guarantees), while session threads subscribe, resume, re-snapshot, drain and unsubscribe. The
/// k-th tick of each symbol carries bid = k, so every message can be checked against its seq.
/// </summary>
[Collection(StressCollection.Name)]
public class SnapshotStreamRaceTests
{
    private const int Symbols = 4;

    [Fact]
    public void Subscribe_WhileTicksFlow_SnapshotThenContiguousUpdatesNoGapNoDuplicate()
    {
        var h = new EngineHarness(symbols: Symbols, time: null);
        using var pipeline = new ThreadedPipeline(h, Symbols, tickIntervalNs: 4_000);
        var failures = new ConcurrentQueue<string>();
        var checkedUpdates = 0L;
        var cycles = 0L;
        var replays = 0L;
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 3;

        var sessions = Enumerable.Range(0, 2).Select(n => new Thread(() =>
        {
            try
            {
                var checker = new SessionChecker(h, n, failures);
                while (Stopwatch.GetTimestamp() < deadline && failures.IsEmpty)
                {
                    checker.Cycle();
                }

                Interlocked.Add(ref checkedUpdates, checker.CheckedUpdates);
                Interlocked.Add(ref cycles, checker.Cycles);
                Interlocked.Add(ref replays, checker.Replays);
            }
            catch (Exception e)
            {
                failures.Enqueue(e.ToString());
            }
        })).ToList();
        sessions.ForEach(t => t.Start());
        sessions.ForEach(t => t.Join());
        pipeline.Stop();

        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(5)));
        Assert.True(cycles > 100, $"only {cycles} subscribe cycles");
        Assert.True(checkedUpdates > 5_000, $"only {checkedUpdates} updates checked");
        Assert.True(replays > 5, $"only {replays} resumes replayed from history");
        Assert.True(pipeline.Published > 20_000, $"only {pipeline.Published} ticks");
    }

    private sealed class SessionChecker(EngineHarness h, int seed, ConcurrentQueue<string> failures)
    {
        private readonly Random _random = new(seed);
        private readonly SessionOutbox _outbox = h.Outbox(fullCapacity: 512);
        private readonly RecordingSink _sink = new();
        private readonly long[] _last = Enumerable.Repeat(-1L, Symbols).ToArray();
        private readonly StreamPosition?[] _resumeFrom = new StreamPosition?[Symbols];
        private readonly bool[] _subscribed = new bool[Symbols];
        private readonly bool[] _awaitingFirst = new bool[Symbols];

        public long CheckedUpdates { get; private set; }

        public long Cycles { get; private set; }

        public long Replays { get; private set; }

        public void Cycle()
        {
            var symbol = _random.Next(Symbols);
            if (!_subscribed[symbol])
            {
                var mode = _random.Next(2) == 0 ? DeliveryMode.Full : DeliveryMode.Conflated;
                var resume = _random.Next(2) == 0 ? _resumeFrom[symbol] : null;
                _outbox.Subscribe(symbol, new SubscriptionOptions(mode), resume);
                _subscribed[symbol] = true;
                _awaitingFirst[symbol] = true;
                _last[symbol] = resume?.Seq ?? -1;
                Cycles++;
            }
            else if (_random.Next(4) == 0)
            {
                _outbox.RequestSnapshot(symbol);
            }

            for (var i = _random.Next(1, 20); i > 0; i--)
            {
                _sink.FrameBudget = _random.Next(100, 4000);
                _outbox.Drain(_sink);
                _sink.NewFrame();
                Check();
                Thread.SpinWait(_random.Next(2000));
            }

            if (_random.Next(3) == 0)
            {
                _outbox.Unsubscribe(symbol);
                _subscribed[symbol] = false;
                _sink.DrainAll(_outbox);
                foreach (var item in _sink.Items)
                {
                    if (item.SymbolId == symbol && item.Kind != DeliveredKind.Notice)
                    {
                        failures.Enqueue($"{item.Kind} {item.LastSeq} of symbol {symbol} after unsubscribe");
                    }
                }

                Check();
            }
        }

        private void Check()
        {
            foreach (var item in _sink.Items)
            {
                if (item.Kind == DeliveredKind.Notice)
                {
                    continue;
                }

                var s = item.SymbolId;
                if (!_subscribed[s])
                {
                    failures.Enqueue($"{item.Kind} for unsubscribed symbol {s}");
                    continue;
                }

                CheckContent(item);
                if (_awaitingFirst[s])
                {
                    _awaitingFirst[s] = false;
                    var isResume = _last[s] >= 0;
                    if (!item.IsSnapshot && !(isResume && item.FirstSeq == _last[s] + 1))
                    {
                        failures.Enqueue($"symbol {s}: first message {item.Kind} {item.FirstSeq} (resume from {_last[s]})");
                    }

                    if (isResume && item.IsData)
                    {
                        Replays++;
                    }
                }
                else if (item.IsSnapshot)
                {
                    // In-band re-snapshot or reset: never behind what the client already has.
                    if (item.LastSeq < _last[s])
                    {
                        failures.Enqueue($"symbol {s}: snapshot {item.LastSeq} behind {_last[s]}");
                    }
                }
                else if (item.FirstSeq != _last[s] + 1)
                {
                    failures.Enqueue($"symbol {s}: {item.Kind} {item.FirstSeq}..{item.LastSeq} after {_last[s]} (gap or duplicate)");
                }
                else
                {
                    CheckedUpdates += item.Count;
                }

                _last[s] = item.LastSeq;
                _resumeFrom[s] = new StreamPosition(item.Epoch, item.LastSeq);
            }

            _sink.Items.Clear();
        }

        private void CheckContent(Delivered item)
        {
            var (bid, seq) = item.Kind switch
            {
                DeliveredKind.Update => (item.Tick.BidPrice, item.Tick.Seq),
                DeliveredKind.Merged => (item.Merged.BidPrice, item.Merged.LastSeq),
                _ => (item.Snapshot.BidPrice, item.Snapshot.Seq),
            };
            if (bid != seq || (item.Kind == DeliveredKind.Merged && item.Merged.Count != item.LastSeq - item.FirstSeq + 1))
            {
                failures.Enqueue($"symbol {item.SymbolId}: {item.Kind} seq {seq} carries bid {bid} (torn or misordered)");
            }
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
        private volatile bool _stop;

        public ThreadedPipeline(EngineHarness h, int symbols, long tickIntervalNs)
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
                    h.Engine.Sequencer.OnEvent(ref slot, i, true);
                    Volatile.Write(ref _sequenced, i);
                }
            });
            _fanOut = new Thread(() =>
            {
                for (long j = 0; !_stop; j++)
                {
                    while (Volatile.Read(ref _sequenced) < j)
                    {
                        if (_stop)
                        {
                            return;
                        }

                        Thread.SpinWait(20);
                    }

                    h.Engine.FanOut.OnEvent(ref _slots[j % Size], j, true);
                    Volatile.Write(ref _fanned, j);
                }
            });
            _producer.Start();
            _fanOut.Start();
        }

        public long Published => Volatile.Read(ref _fanned) + 1;

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
