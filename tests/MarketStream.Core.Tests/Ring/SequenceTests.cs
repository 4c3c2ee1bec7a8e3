using MarketStream.Core.Ring;

namespace MarketStream.Core.Tests.Ring;

[Collection(RingTestCollection.Name)]
public class SequenceTests
{
    [Fact]
    public void Constructor_Default_StartsAtMinusOne() => Assert.Equal(-1, new Sequence().Value);

    [Fact]
    public void CompareAndSet_ExpectedValueDiffers_LeavesValue()
    {
        var sequence = new Sequence(5);

        Assert.False(sequence.CompareAndSet(4, 9));
        Assert.Equal(5, sequence.Value);
        Assert.True(sequence.CompareAndSet(5, 9));
        Assert.Equal(9, sequence.Value);
        Assert.Equal(12, sequence.AddAndGet(3));
        Assert.Equal(13, sequence.IncrementAndGet());
    }

    [Fact]
    public void Constructor_Padding_InstanceSpansTwoCacheLines()
    {
        // The runtime must honour the explicit layout: 56 bytes, the value, 56 bytes, so two
        // sequences allocated back to back never share a cache line for their values.
        _ = new Sequence();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sequence = new Sequence();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated >= 120 + (2 * IntPtr.Size), $"a Sequence takes {allocated} bytes");
        GC.KeepAlive(sequence);
    }
}
