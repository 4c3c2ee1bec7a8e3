using BenchmarkDotNet.Attributes;
using MarketStream.Core.Ring;
using MarketStream.Core.Sessions;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Benchmarks.Engine;

/// <summary>
/// Sequencer and fan-out handlers driven directly (OnEvent in a loop on one thread, the way the
/// ring's processors call them, minus the ring), feeding N conflating sessions. One operation = one
/// tick through both stages; 1,000 symbols, each session subscribed to 50 (fan-out factor
/// 0.05 × sessions offers per tick). <see cref="WritersDrain"/> = true also drains every session
/// into a real 64 KiB <see cref="BatchWriter"/> frame every 1,024 ticks on the same thread, i.e. includes the writer loops' work.
/// Ticks are handed over in batches of 64 (endOfBatch on every 64th), as the ring's batch processor
/// delivers them under load; the sequencer reads the clock once per batch.
/// </summary>
[MemoryDiagnoser]
public class EngineStagesBenchmarks
{
    private const int TicksPerInvoke = 16_384;
    private const int DrainInterval = 1024;
    private const int BatchSize = 64;

    private EngineBenchmarkSetup _setup = null!;
    private IEventHandler<Tick> _sequencer = null!;
    private IEventHandler<Tick> _fanOut = null!;
    private BatchWriter _writer = null!;
    private BatchWriterSink _sink;
    private Tick _slot;
    private long _ringSequence;

    [Params(1, 100, 1000)]
    public int Sessions { get; set; }

    [Params(false, true)]
    public bool WritersDrain { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _setup = new EngineBenchmarkSetup(Sessions, TicksPerInvoke);
        _sequencer = _setup.Engine.Sequencing;
        _fanOut = _setup.Engine.FanOut;
        _writer = new BatchWriter(64 * 1024);
        _sink = new BatchWriterSink(_writer);
    }

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void SequenceAndFanOut()
    {
        var feed = _setup.Feed;
        for (var i = 0; i < feed.Length; i++)
        {
            // Copy into the "slot" as a producer would; the stages write Epoch/Seq/ServerTimeNs into it.
            _slot = feed[i];
            var sequence = _ringSequence++;
            var endOfBatch = (i & (BatchSize - 1)) == BatchSize - 1;
            _sequencer.OnEvent(ref _slot, sequence, endOfBatch);
            _fanOut.OnEvent(ref _slot, sequence, endOfBatch);
            if (WritersDrain && (i & (DrainInterval - 1)) == DrainInterval - 1)
            {
                DrainAll();
            }
        }
    }

    private void DrainAll()
    {
        foreach (var outbox in _setup.Outboxes)
        {
            while (outbox.Drain(_sink) == DrainStatus.FrameFull)
            {
                _writer.Reset();
            }

            _writer.Reset();
        }
    }
}
