using MarketStream.Core.Ring;

namespace MarketStream.Core.Tests.Ring;

[Collection(RingTestCollection.Name)]
public class RingPipelineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Publish_OneProducerMillionsOfEvents_NoLossNoDuplicateInOrder()
    {
        const long Events = 2_000_000;
        var handler = new PerProducerOrderHandler(producers: 1);
        using var pipeline = new RingPipeline<TestEvent>(1024, ProducerType.Single, new YieldingWaitStrategy());
        pipeline.HandleWith(handler);
        pipeline.Start();

        Producers.Publish(pipeline.RingBuffer, producerId: 0, Events, ClaimMode.Single);

        Assert.True(pipeline.Drain(Timeout), "the pipeline did not drain");
        Assert.Null(handler.FirstViolation);
        Assert.Equal(Events, handler.Count);
        Assert.Equal(Events, handler.NextIndexOf(0));
        Assert.Equal(Events - 1, pipeline.Stages[0].Sequence.Value);
    }

    [Fact]
    public void Publish_FourProducersMillionsOfEvents_NoLossNoDuplicatePerProducerOrder()
    {
        const int ProducerCount = 4;
        const long PerProducer = 600_000;
        var handler = new PerProducerOrderHandler(ProducerCount);
        using var pipeline = new RingPipeline<TestEvent>(1024, ProducerType.Multi, new YieldingWaitStrategy());
        pipeline.HandleWith(handler);
        pipeline.Start();

        // Every claim style at once: single slots, batches with Publish(lo, hi), TryNext.
        ClaimMode[] modes = [ClaimMode.Single, ClaimMode.Single, ClaimMode.Batch, ClaimMode.Try];
        using var gate = new ManualResetEventSlim(false);
        var threads = new Thread[ProducerCount];
        for (var p = 0; p < ProducerCount; p++)
        {
            threads[p] = Producers.Start(pipeline.RingBuffer, p, PerProducer, modes[p], gate);
        }

        gate.Set();
        foreach (var thread in threads)
        {
            Assert.True(thread.Join(Timeout), "a producer did not finish");
        }

        Assert.True(pipeline.Drain(Timeout), "the pipeline did not drain");
        Assert.Null(handler.FirstViolation);
        Assert.Equal(ProducerCount * PerProducer, handler.Count);
        for (var p = 0; p < ProducerCount; p++)
        {
            Assert.Equal(PerProducer, handler.NextIndexOf(p));
        }
    }

    [Fact]
    public void Publish_SmallRingWrappedManyTimes_NoLossNoDuplicatePerProducerOrder()
    {
        // Size 8: 100k events lap the ring 12.5k times, so every availability flag and gating
        // check is exercised across many laps, with two producers racing for each slot.
        const long PerProducer = 50_000;
        var handler = new PerProducerOrderHandler(producers: 2);
        using var pipeline = new RingPipeline<TestEvent>(8, ProducerType.Multi, new YieldingWaitStrategy());
        pipeline.HandleWith(handler);
        pipeline.Start();

        var first = Producers.Start(pipeline.RingBuffer, 0, PerProducer, ClaimMode.Single);
        var second = Producers.Start(pipeline.RingBuffer, 1, PerProducer, ClaimMode.Batch);
        Assert.True(first.Join(Timeout) && second.Join(Timeout), "a producer did not finish");

        Assert.True(pipeline.Drain(Timeout), "the pipeline did not drain");
        Assert.Null(handler.FirstViolation);
        Assert.Equal(2 * PerProducer, handler.Count);
        Assert.Equal(2 * PerProducer - 1, pipeline.RingBuffer.Cursor);
        Assert.Equal(12_500, (pipeline.RingBuffer.Cursor + 1) / pipeline.RingBuffer.BufferSize); // laps
    }

    [Fact]
    public void Publish_StalledConsumer_BlocksProducerAndNothingIsOverwritten()
    {
        const int Size = 16;
        const long Events = 200;
        using var release = new ManualResetEventSlim(false);
        var handler = new StallingHandler(release);
        using var pipeline = new RingPipeline<TestEvent>(Size, ProducerType.Single, new BlockingWaitStrategy());
        pipeline.HandleWith(handler);
        pipeline.Start();

        var producer = Producers.Start(pipeline.RingBuffer, 0, Events, ClaimMode.Single);

        // The consumer holds slot 0: the producer fills the ring and must then wait.
        Assert.True(handler.Stalled.Wait(Timeout, TestContext.Current.CancellationToken));
        Assert.False(producer.Join(TimeSpan.FromMilliseconds(300)), "the producer ran past a stalled consumer");
        Assert.Equal(Size - 1, pipeline.RingBuffer.Cursor);
        Assert.Equal(0, pipeline.RingBuffer.RemainingCapacity());
        Assert.False(pipeline.RingBuffer.TryNext(out _));

        release.Set();
        Assert.True(producer.Join(Timeout), "the producer did not resume");
        Assert.True(pipeline.Drain(Timeout));

        // Slot 0 was read after the producer had been waiting on it: still index 0, not 16.
        Assert.Equal(0, handler.FirstIndexSeen);
        Assert.Null(handler.Order.FirstViolation);
        Assert.Equal(Events, handler.Order.Count);
    }

    [Fact]
    public void Publish_TwoStagePipeline_StageBNeverPassesStageA()
    {
        const long PerProducer = 500_000;
        using var pipeline = new RingPipeline<TestEvent>(256, ProducerType.Multi, new YieldingWaitStrategy());
        var stageA = new StageAHandler();
        var a = pipeline.HandleWith(stageA);
        var stageB = new StageBHandler(a.Sequence, producers: 2);
        pipeline.HandleWith(stageB, a);
        pipeline.Start();

        var first = Producers.Start(pipeline.RingBuffer, 0, PerProducer, ClaimMode.Single);
        var second = Producers.Start(pipeline.RingBuffer, 1, PerProducer, ClaimMode.Batch);
        Assert.True(first.Join(Timeout) && second.Join(Timeout), "a producer did not finish");

        Assert.True(pipeline.Drain(Timeout));
        Assert.Equal(0, stageB.SlotsNotYetStamped);
        Assert.Equal(0, stageB.SequencesAheadOfA);
        Assert.Null(stageB.Order.FirstViolation);
        Assert.Equal(2 * PerProducer, stageB.Order.Count);
        Assert.Equal(2 * PerProducer, stageA.Count);
    }

    [Fact]
    public void Halt_WhileBusy_StopsAfterTheEventInProgress()
    {
        const long BusyAt = 5000;
        using var release = new ManualResetEventSlim(false);
        var handler = new BusyHandler(BusyAt, release);
        var pipeline = new RingPipeline<TestEvent>(1024, ProducerType.Single, new BusySpinWaitStrategy());
        var stage = pipeline.HandleWith(handler);
        pipeline.Start();
        var ring = pipeline.RingBuffer;

        using var stop = new ManualResetEventSlim(false);
        var producer = new Thread(() =>
        {
            while (!stop.IsSet)
            {
                if (ring.TryNext(out var sequence))
                {
                    ring[sequence].Index = sequence;
                    ring.Publish(sequence);
                }
                else
                {
                    Thread.Yield();
                }
            }
        })
        { IsBackground = true };
        producer.Start();

        // The stage is inside event 5000 with a full ring of published events behind it.
        Assert.True(handler.Busy.Wait(Timeout, TestContext.Current.CancellationToken));
        Assert.True(SpinWait.SpinUntil(() => ring.RemainingCapacity() == 0, Timeout));

        Assert.False(pipeline.Halt(TimeSpan.FromMilliseconds(50)), "the stage cannot stop inside OnEvent");
        release.Set();
        Assert.True(pipeline.Halt(TimeSpan.FromSeconds(10)), "the stage thread did not stop");
        stop.Set();
        Assert.True(producer.Join(Timeout));

        Assert.False(stage.Processor.IsRunning);
        Assert.True(handler.ShutdownCalled);
        Assert.Equal(BusyAt, stage.Sequence.Value);
        Assert.Equal(BusyAt + 1, handler.Count);
        Assert.True(ring.Cursor > BusyAt, "events published behind the halted one stay unprocessed");
        Thread.Sleep(50);
        Assert.Equal(BusyAt, stage.Sequence.Value);
    }

    [Fact]
    public void Drain_AfterProducersStop_ProcessesEverythingPublished()
    {
        const long Events = 20_000;
        var handler = new SlowHandler();
        using var pipeline = new RingPipeline<TestEvent>(8192, ProducerType.Single, new SleepingWaitStrategy());
        pipeline.HandleWith(handler);
        pipeline.Start();

        // The slow handler leaves a backlog behind the producer; drain must wait for all of it.
        Producers.Publish(pipeline.RingBuffer, 0, Events, ClaimMode.Batch);
        var backlog = pipeline.RingBuffer.Cursor - pipeline.Stages[0].Sequence.Value;

        Assert.True(pipeline.Drain(Timeout));
        Assert.True(backlog > 0, "the test needs a backlog at drain time");
        Assert.Equal(Events, handler.Count);
        Assert.Equal(Events - 1, pipeline.Stages[0].Sequence.Value);
        Assert.False(pipeline.Stages[0].Processor.IsRunning);
        Assert.True(handler.ShutdownCalled);
    }

    [Fact]
    public void HandlerThrows_LogAndContinuePolicy_ReportsAndProcessesTheRest()
    {
        const long Events = 10_000;
        var handler = new ThrowingHandler(failEvery: 1000);
        var reported = new List<long>();
        using var pipeline = new RingPipeline<TestEvent>(64, ProducerType.Single, new YieldingWaitStrategy())
        {
            ExceptionPolicy = HandlerExceptionPolicy.LogAndContinue,
            OnHandlerException = (exception, sequence) =>
            {
                Assert.IsType<InvalidOperationException>(exception);
                lock (reported)
                {
                    reported.Add(sequence);
                }
            },
        };
        pipeline.HandleWith(handler);
        pipeline.Start();

        Producers.Publish(pipeline.RingBuffer, 0, Events, ClaimMode.Single);

        Assert.True(pipeline.Drain(Timeout));
        Assert.Null(pipeline.Fault);
        Assert.Equal(Events, handler.Seen);
        Assert.Equal(Events - 10, handler.Succeeded);
        lock (reported)
        {
            Assert.Equal([7, 1007, 2007, 3007, 4007, 5007, 6007, 7007, 8007, 9007], reported);
        }
    }

    [Fact]
    public void HandlerThrows_HaltPolicy_StopsAtFailingEventAndKeepsItUnprocessed()
    {
        const int Size = 64;
        var handler = new ThrowingHandler(failEvery: 500);
        var reported = -1L;
        using var pipeline = new RingPipeline<TestEvent>(Size, ProducerType.Single, new BlockingWaitStrategy())
        {
            ExceptionPolicy = HandlerExceptionPolicy.Halt,
            OnHandlerException = (_, sequence) => Volatile.Write(ref reported, sequence),
        };
        var stage = pipeline.HandleWith(handler);
        pipeline.Start();

        // Never blocks the test: claim with TryNext until the stage has halted, then take
        // whatever room its final sequence leaves.
        var ring = pipeline.RingBuffer;
        var deadline = Environment.TickCount64 + 10_000;
        while (stage.Fault is null && Environment.TickCount64 < deadline)
        {
            if (ring.TryNext(out var sequence))
            {
                ring[sequence].Index = sequence;
                ring.Publish(sequence);
            }
        }

        while (ring.TryNext(out var sequence))
        {
            ring[sequence].Index = sequence;
            ring.Publish(sequence);
        }

        Assert.True(SpinWait.SpinUntil(() => !stage.Processor.IsRunning, Timeout));
        Assert.IsType<InvalidOperationException>(pipeline.Fault);
        Assert.Same(pipeline.Fault, stage.Fault);
        Assert.Equal(7, Volatile.Read(ref reported));
        Assert.Equal(6, stage.Sequence.Value);
        Assert.Equal(7, handler.Succeeded);

        // The failing slot stays owned by the stage: producers stop one lap later.
        Assert.Equal(6 + Size, ring.Cursor);
        Assert.Equal(7, ring[7].Index);
        Assert.False(pipeline.Drain(TimeSpan.FromMilliseconds(200)));
    }

    [Theory]
    [InlineData("busy-spin")]
    [InlineData("yielding")]
    [InlineData("blocking")]
    [InlineData("sleeping")]
    public void Publish_EachWaitStrategyTwoStages_DeliversEverythingInOrder(string strategy)
    {
        const long Events = 200_000;
        IWaitStrategy waitStrategy = strategy switch
        {
            "busy-spin" => new BusySpinWaitStrategy(),
            "yielding" => new YieldingWaitStrategy(),
            "blocking" => new BlockingWaitStrategy(),
            _ => new SleepingWaitStrategy(),
        };
        using var pipeline = new RingPipeline<TestEvent>(4096, ProducerType.Single, waitStrategy);
        var stageA = new StageAHandler();
        var a = pipeline.HandleWith(stageA);
        var stageB = new StageBHandler(a.Sequence, producers: 1);

        // Busy-spin stages never give up their core: with the producer that is all the 2 cores
        // of the CI machine already, so busy-spin runs one stage with the same checks in it.
        pipeline.HandleWith(stageB, strategy == "busy-spin" ? [] : [a]);
        pipeline.Start();

        // Publish in bursts with pauses, so consumers also go idle and must be woken.
        var ring = pipeline.RingBuffer;
        for (long index = 0; index < Events;)
        {
            for (var i = 0; i < 20_000 && index < Events; i++)
            {
                var sequence = ring.Next();
                ring[sequence] = new TestEvent { ProducerId = 0, Index = index++ };
                ring.Publish(sequence);
            }

            Thread.Sleep(5);
        }

        Assert.True(pipeline.Drain(Timeout));
        Assert.Null(stageB.Order.FirstViolation);
        Assert.Equal(Events, stageB.Order.Count);
        if (strategy != "busy-spin")
        {
            Assert.Equal(0, stageB.SlotsNotYetStamped);
            Assert.Equal(0, stageB.SequencesAheadOfA);
        }
    }

    [Fact]
    public void Publish_AfterIdleWithBlockingStrategy_WakesTheStage()
    {
        var handler = new PerProducerOrderHandler(producers: 1);
        using var pipeline = new RingPipeline<TestEvent>(16, ProducerType.Multi, new BlockingWaitStrategy());
        var stage = pipeline.HandleWith(handler);
        pipeline.Start();
        Thread.Sleep(100); // the stage is now asleep in Monitor.Wait

        var ring = pipeline.RingBuffer;
        var sequence = ring.Next();
        ring[sequence] = new TestEvent { ProducerId = 0, Index = 0 };
        ring.Publish(sequence);

        Assert.True(SpinWait.SpinUntil(() => stage.Sequence.Value == 0, TimeSpan.FromSeconds(5)), "the sleeping stage was not woken");
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public void HandleWith_AfterStart_Throws()
    {
        using var pipeline = new RingPipeline<TestEvent>(16, ProducerType.Single);
        pipeline.HandleWith(new PerProducerOrderHandler(1));
        pipeline.Start();

        Assert.Throws<InvalidOperationException>(() => pipeline.HandleWith(new PerProducerOrderHandler(1)));
        Assert.Throws<InvalidOperationException>(pipeline.Start);
    }

    private sealed class StallingHandler(ManualResetEventSlim release) : IEventHandler<TestEvent>
    {
        public ManualResetEventSlim Stalled { get; } = new(false);

        public long FirstIndexSeen { get; private set; } = -1;

        public PerProducerOrderHandler Order { get; } = new(1);

        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
        {
            if (sequence == 0)
            {
                Stalled.Set();
                release.Wait();
                FirstIndexSeen = data.Index; // read after the stall: must not have been overwritten
            }

            Order.OnEvent(ref data, sequence, endOfBatch);
        }
    }

    private sealed class StageAHandler : IEventHandler<TestEvent>
    {
        private long _count;

        public long Count => Volatile.Read(ref _count);

        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
        {
            data.Stage = (data.Index * 2) + 1;
            _count++;
            if ((sequence & 1023) == 0)
            {
                Thread.SpinWait(200); // let B catch up and trail A closely
            }
        }
    }

    private sealed class StageBHandler(Sequence stageA, int producers) : IEventHandler<TestEvent>
    {
        public long SlotsNotYetStamped { get; private set; }

        public long SequencesAheadOfA { get; private set; }

        public PerProducerOrderHandler Order { get; } = new(producers);

        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
        {
            if (data.Stage != (data.Index * 2) + 1)
            {
                SlotsNotYetStamped++;
            }

            if (stageA.Value < sequence)
            {
                SequencesAheadOfA++;
            }

            Order.OnEvent(ref data, sequence, endOfBatch);
        }
    }

    private sealed class BusyHandler(long busyAt, ManualResetEventSlim release) : IEventHandler<TestEvent>
    {
        private long _count;
        private volatile bool _shutdownCalled;

        public ManualResetEventSlim Busy { get; } = new(false);

        public long Count => Volatile.Read(ref _count);

        public bool ShutdownCalled => _shutdownCalled;

        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
        {
            Volatile.Write(ref _count, _count + 1);
            if (sequence == busyAt)
            {
                Busy.Set();
                release.Wait();
            }
        }

        public void OnShutdown() => _shutdownCalled = true;
    }

    private sealed class SlowHandler : IEventHandler<TestEvent>
    {
        private long _count;
        private volatile bool _shutdownCalled;

        public long Count => Volatile.Read(ref _count);

        public bool ShutdownCalled => _shutdownCalled;

        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
        {
            Thread.SpinWait(100);
            Volatile.Write(ref _count, _count + 1);
        }

        public void OnShutdown() => _shutdownCalled = true;
    }

    private sealed class ThrowingHandler(long failEvery) : IEventHandler<TestEvent>
    {
        public long Seen { get; private set; }

        public long Succeeded { get; private set; }

        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
        {
            Seen++;
            if (sequence % failEvery == 7)
            {
                throw new InvalidOperationException($"bad event {sequence}");
            }

            Succeeded++;
        }
    }
}
