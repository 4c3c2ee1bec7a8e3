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
}
