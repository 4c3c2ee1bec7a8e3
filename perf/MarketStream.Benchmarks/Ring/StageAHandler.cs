using MarketStream.Core.Ring;

namespace MarketStream.Benchmarks.Ring;

/// <summary>Stage A of the pipeline scenario: writes a field stage B checks.</summary>
internal struct StageAHandler : IEventHandler<PerfEvent>
{
    public readonly void OnEvent(ref PerfEvent data, long sequence, bool endOfBatch) => data.Stage = data.Value + 1;
}
