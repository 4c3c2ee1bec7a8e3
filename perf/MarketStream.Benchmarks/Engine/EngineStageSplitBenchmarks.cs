using BenchmarkDotNet.Attributes;
using MarketStream.Core.Ring;
using MarketStream.Model;

namespace MarketStream.Benchmarks.Engine;

/// <summary>
/// Each engine stage alone, per tick, with the scenario of <see cref="EngineBenchmarkSetup"/>. In the
/// pipeline the two stages run on their own threads, so ring throughput is bounded by the slower of
/// the two, not by their sum (which <see cref="EngineStagesBenchmarks"/> measures on one thread).
/// FanOutOnly replays ticks already carrying (epoch, seq), numbered per symbol by the benchmark.
/// </summary>
[MemoryDiagnoser]
public class EngineStageSplitBenchmarks
{
    private const int TicksPerInvoke = 16_384;
    private const int BatchSize = 64;

    private EngineBenchmarkSetup _setup = null!;
    private IEventHandler<Tick> _sequencer = null!;
    private IEventHandler<Tick> _fanOut = null!;
    private long[] _nextSeq = null!;
    private Tick _slot;
    private long _ringSequence;

    [Params(1, 100, 1000)]
    public int Sessions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _setup = new EngineBenchmarkSetup(Sessions, TicksPerInvoke);
        _sequencer = _setup.Engine.Sequencing;
        _fanOut = _setup.Engine.FanOut;
        _nextSeq = new long[EngineBenchmarkSetup.Symbols];
    }

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void SequencerOnly()
    {
        var feed = _setup.Feed;
        for (var i = 0; i < feed.Length; i++)
        {
            _slot = feed[i];
            _sequencer.OnEvent(ref _slot, _ringSequence++, (i & (BatchSize - 1)) == BatchSize - 1);
        }
    }

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void FanOutOnly()
    {
        var feed = _setup.Feed;
        for (var i = 0; i < feed.Length; i++)
        {
            _slot = feed[i];
            _slot.Epoch = 1;
            _slot.Seq = ++_nextSeq[_slot.SymbolId];
            _fanOut.OnEvent(ref _slot, _ringSequence++, (i & (BatchSize - 1)) == BatchSize - 1);
        }
    }
}
