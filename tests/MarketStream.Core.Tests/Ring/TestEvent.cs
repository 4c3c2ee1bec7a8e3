namespace MarketStream.Core.Tests.Ring;

/// <summary>Slot type of the ring tests: who published it, its index in that producer's stream, and a field stage A writes.</summary>
public struct TestEvent
{
    public int ProducerId;
    public long Index;
    public long Stage;
}
