namespace MarketStream.Journal;

/// <summary>
/// Wakes the journal's writer thread from the ring stage without a system call when the writer is
/// busy: the stage signals only if the writer said it is about to sleep. Both sides put a full fence
/// between their store (records committed / "about to sleep") and their load of the other's, so at
/// least one of them sees the other (no lost wake-up). The stage pays it once per ring batch.
/// </summary>
internal sealed class WriterWake : IDisposable
{
    private readonly ManualResetEventSlim _event = new(initialState: false, spinCount: 0);
    private int _sleeping;

    /// <summary>Stage thread, after committing records: wakes the writer if it sleeps.</summary>
    public void Notify()
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0)
        {
            _event.Set();
        }
    }

    /// <summary>Writer thread: sleeps up to <paramref name="timeoutMs"/> unless <paramref name="hasWork"/> says there is work already.</summary>
    public void Sleep(Func<bool> hasWork, int timeoutMs)
    {
        Volatile.Write(ref _sleeping, 1);
        Interlocked.MemoryBarrier();
        if (!hasWork())
        {
            _event.Wait(timeoutMs);
        }

        Volatile.Write(ref _sleeping, 0);
        _event.Reset();
    }

    /// <summary>Any thread: wakes the writer now (stop, tests).</summary>
    public void WakeNow() => _event.Set();

    public void Dispose() => _event.Dispose();
}
