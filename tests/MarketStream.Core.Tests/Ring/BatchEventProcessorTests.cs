using MarketStream.Core.Ring;

namespace MarketStream.Core.Tests.Ring;

[Collection(RingTestCollection.Name)]
public class BatchEventProcessorTests
{
    [Fact]
    public void Run_BatchPublishedBeforeStart_EndOfBatchOnlyOnLastSlot()
    {
        var ring = new RingBuffer<TestEvent>(ProducerType.Single, 64, new YieldingWaitStrategy());
        var handler = new RecordingHandler(expected: 10);
        var processor = new BatchEventProcessor<TestEvent, RecordingHandler>(ring, ring.NewBarrier(), handler);
        ring.AddGatingSequences(processor.Sequence);

        var thread = RunOverTenPublishedEvents(ring, processor, handler.Done, indexScale: 10);

        Assert.Equal([0L, 1, 2, 3, 4, 5, 6, 7, 8, 9], handler.Sequences);
        Assert.Equal([0L, 10, 20, 30, 40, 50, 60, 70, 80, 90], handler.Indices);
        Assert.Equal([9L], handler.EndOfBatchAt);
        Assert.Equal(9, processor.Sequence.Value);
        Assert.Equal(1, handler.Starts);
        Assert.Equal(1, handler.Shutdowns);
        Assert.Equal(thread.ManagedThreadId, handler.ThreadId);
    }

    [Fact]
    public void Run_MaxBatchSize_SplitsBacklogIntoBatches()
    {
        var ring = new RingBuffer<TestEvent>(ProducerType.Single, 64, new YieldingWaitStrategy());
        var handler = new RecordingHandler(expected: 10);
        var processor = new BatchEventProcessor<TestEvent, RecordingHandler>(ring, ring.NewBarrier(), handler, maxBatchSize: 4);
        ring.AddGatingSequences(processor.Sequence);
        ring.Publish(0, ring.Next(10));

        var thread = new Thread(processor.Run) { IsBackground = true };
        thread.Start();
        Assert.True(handler.Done.Wait(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        processor.Halt();
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)));

        Assert.Equal([3L, 7, 9], handler.EndOfBatchAt);
        Assert.Equal(9, processor.Sequence.Value);
    }

    [Theory]
    [InlineData(10, 4, 2, 1)] // batches 0–3, 4–7, 8–9: shorter than 16 × 2, so distance 1 (never 0)
    [InlineData(64, 64, 2, 2)] // one batch of 64 ≥ 16 × 2: the full distance
    [InlineData(96, 32, 8, 2)] // batches of 32 < 16 × 8: a sixteenth, 2
    public void Run_LookaheadHandler_SeesEachSlotFarThenNearAheadOfItsEvent_NeverPastTheBatch(int events, int batch, int distance, int expectedNear)
    {
        var ring = new RingBuffer<TestEvent>(ProducerType.Single, 128, new YieldingWaitStrategy());
        var handler = new LookaheadRecordingHandler(expected: events, distance);
        var processor = new BatchEventProcessor<TestEvent, LookaheadRecordingHandler>(ring, ring.NewBarrier(), handler, maxBatchSize: batch);
        ring.AddGatingSequences(processor.Sequence);
        RunOverPublishedEvents(ring, processor, handler.Done, indexScale: 1, events);

        // Each call is recorded with the number of events handled before it, i.e. which event
        // was next: a slot is shown 2 × near (far) and near events early, or at its batch's start.
        for (var index = 0L; index < events; index++)
        {
            var batchStart = index / batch * batch;
            Assert.Equal([Math.Max(batchStart, index - (2 * expectedNear))], handler.FarCalls.Where(c => c.Index == index).Select(c => c.Handled));
            Assert.Equal([Math.Max(batchStart, index - expectedNear)], handler.NearCalls.Where(c => c.Index == index).Select(c => c.Handled));
        }

        Assert.Equal(Enumerable.Range(0, events).Select(i => (long)i), handler.Handled);
    }

    [Fact]
    public void Run_StructHandler_StateLivesInTheProcessorCopy()
    {
        var ring = new RingBuffer<TestEvent>(ProducerType.Single, 8, new BusySpinWaitStrategy());
        var results = new StructHandlerResults();
        var processor = new BatchEventProcessor<TestEvent, CountingStructHandler>(ring, ring.NewBarrier(), new CountingStructHandler(results));
        ring.AddGatingSequences(processor.Sequence);
        var thread = new Thread(processor.Run) { IsBackground = true };
        thread.Start();

        for (var i = 0; i < 100; i++)
        {
            var sequence = ring.Next();
            ring[sequence].Index = i;
            ring.Publish(sequence);
        }

        Assert.True(SpinWait.SpinUntil(() => processor.Sequence.Value == 99, TimeSpan.FromSeconds(10)));
        processor.Halt();
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(100, results.Count);
        Assert.Equal(99 * 100 / 2, results.Sum);
    }

    [Fact]
    public void Run_WhenAlreadyRunning_Throws()
    {
        var ring = new RingBuffer<TestEvent>(ProducerType.Single, 8, new BlockingWaitStrategy());
        var processor = new BatchEventProcessor<TestEvent, RecordingHandler>(ring, ring.NewBarrier(), new RecordingHandler(1));
        var thread = new Thread(processor.Run) { IsBackground = true };
        thread.Start();
        Assert.True(SpinWait.SpinUntil(() => processor.IsRunning, TimeSpan.FromSeconds(10)));

        Assert.Throws<InvalidOperationException>(processor.Run);

        processor.Halt();
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)));
        Assert.False(processor.IsRunning);
    }

    [Fact]
    public void Halt_BeforeRun_RunReturnsWithoutProcessing()
    {
        var ring = new RingBuffer<TestEvent>(ProducerType.Single, 8, new BlockingWaitStrategy());
        var handler = new RecordingHandler(1);
        var processor = new BatchEventProcessor<TestEvent, RecordingHandler>(ring, ring.NewBarrier(), handler);

        processor.Halt();
        processor.Run();

        Assert.Equal(0, handler.Starts);
        Assert.False(processor.IsRunning);
    }

    /// <summary>
    /// Publishes 10 events (Index = sequence × <paramref name="indexScale"/>) before the processor
    /// starts, so they form one backlog, runs it until <paramref name="done"/>, and halts it.
    /// </summary>
    private static Thread RunOverTenPublishedEvents<THandler>(RingBuffer<TestEvent> ring, BatchEventProcessor<TestEvent, THandler> processor, ManualResetEventSlim done, long indexScale)
        where THandler : IEventHandler<TestEvent> =>
        RunOverPublishedEvents(ring, processor, done, indexScale, 10);

    private static Thread RunOverPublishedEvents<THandler>(RingBuffer<TestEvent> ring, BatchEventProcessor<TestEvent, THandler> processor, ManualResetEventSlim done, long indexScale, int events)
        where THandler : IEventHandler<TestEvent>
    {
        var high = ring.Next(events);
        for (var sequence = high - events + 1; sequence <= high; sequence++)
        {
            ring[sequence].Index = sequence * indexScale;
        }

        ring.Publish(high - events + 1, high);
        var thread = new Thread(processor.Run) { IsBackground = true };
        thread.Start();
        Assert.True(done.Wait(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        processor.Halt();
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)));
        return thread;
    }

    private sealed class LookaheadRecordingHandler(int expected, int distance) : IEventHandler<TestEvent>, IEventLookahead<TestEvent>
    {
        public List<long> Handled { get; } = [];

        public List<(long Index, long Handled)> FarCalls { get; } = [];

        public List<(long Index, long Handled)> NearCalls { get; } = [];

        public ManualResetEventSlim Done { get; } = new(false);

        public int LookaheadDistance => distance;

        public void PrefetchFar(in TestEvent upcoming) => FarCalls.Add((upcoming.Index, Handled.Count));

        public void PrefetchNear(in TestEvent upcoming) => NearCalls.Add((upcoming.Index, Handled.Count));

        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
        {
            Handled.Add(data.Index);
            if (Handled.Count == expected)
            {
                Done.Set();
            }
        }
    }

    private sealed class RecordingHandler(int expected) : IEventHandler<TestEvent>
    {
        public List<long> Sequences { get; } = [];

        public List<long> Indices { get; } = [];

        public List<long> EndOfBatchAt { get; } = [];

        public ManualResetEventSlim Done { get; } = new(false);

        public int Starts { get; private set; }

        public int Shutdowns { get; private set; }

        public int ThreadId { get; private set; }

        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
        {
            Sequences.Add(sequence);
            Indices.Add(data.Index);
            if (endOfBatch)
            {
                EndOfBatchAt.Add(sequence);
            }

            if (Sequences.Count == expected)
            {
                Done.Set();
            }
        }

        public void OnStart()
        {
            Starts++;
            ThreadId = Environment.CurrentManagedThreadId;
        }

        public void OnShutdown() => Shutdowns++;
    }

    private sealed class StructHandlerResults
    {
        public long Count;
        public long Sum;
    }

    private struct CountingStructHandler(StructHandlerResults results) : IEventHandler<TestEvent>
    {
        private long _count;
        private long _sum;

        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
        {
            _count++;
            _sum += data.Index;
        }

        public readonly void OnShutdown()
        {
            results.Count = _count;
            results.Sum = _sum;
        }
    }
}
