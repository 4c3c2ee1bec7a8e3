using System.Runtime.CompilerServices;
using MarketStream.Core.Ring;

namespace MarketStream.Benchmarks.Ring;

/// <summary>Last stage of every ring scenario: sums the values (or stage A's field), counts batches.</summary>
internal struct SummingHandler(ConsumerProbe probe, bool readStage) : IEventHandler<PerfEvent>
{
    private readonly ConsumerProbe _probe = probe;
    private readonly bool _readStage = readStage;
    private long _count;
    private long _sum;
    private long _batches;
    private long _errors;

    // Inlined into the processor's loop (the JIT would not inline a body this size on its own);
    // the once-per-batch bookkeeping stays out of line.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnEvent(ref PerfEvent data, long sequence, bool endOfBatch)
    {
        if (_readStage)
        {
            if (data.Stage != data.Value + 1)
            {
                _errors++; // stage B overtook stage A
            }

            _sum += data.Stage - 1;
        }
        else
        {
            _sum += data.Value;
        }

        _count++;
        if (endOfBatch)
        {
            EndOfBatch();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EndOfBatch()
    {
        _batches++;
        if (_count == _probe.ExpectedCount)
        {
            _probe.Count = _count;
            _probe.Sum = _sum;
            _probe.Batches = _batches;
            _probe.Errors = _errors;
            _probe.Done.Set();
        }
    }
}
