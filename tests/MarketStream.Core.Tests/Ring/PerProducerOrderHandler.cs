using MarketStream.Core.Ring;

namespace MarketStream.Core.Tests.Ring;

/// <summary>
/// Checks the stress invariants as events arrive: each producer's indices must come exactly as
/// 0, 1, 2, … (a gap is a loss, a repeat a duplicate, a step back an order violation).
/// Read the results after the pipeline has drained.
/// </summary>
internal sealed class PerProducerOrderHandler(int producers) : IEventHandler<TestEvent>
{
    private readonly long[] _nextIndex = new long[producers];

    public long Count { get; private set; }

    public long Violations { get; private set; }

    public string? FirstViolation { get; private set; }

    public long Batches { get; private set; }

    public long ExpectedSequence { get; private set; }

    public long NextIndexOf(int producer) => _nextIndex[producer];

    public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
    {
        if (sequence != ExpectedSequence)
        {
            Fail($"sequence {sequence} arrived when {ExpectedSequence} was expected");
        }

        ExpectedSequence = sequence + 1;
        if ((uint)data.ProducerId >= (uint)_nextIndex.Length)
        {
            Fail($"slot {sequence} holds unknown producer {data.ProducerId}");
        }
        else if (data.Index != _nextIndex[data.ProducerId])
        {
            Fail($"producer {data.ProducerId}: got index {data.Index}, expected {_nextIndex[data.ProducerId]} (slot {sequence})");
            _nextIndex[data.ProducerId] = data.Index + 1;
        }
        else
        {
            _nextIndex[data.ProducerId]++;
        }

        Count++;
        if (endOfBatch)
        {
            Batches++;
        }
    }

    private void Fail(string message)
    {
        Violations++;
        FirstViolation ??= message;
    }
}
