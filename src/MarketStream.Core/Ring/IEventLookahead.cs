namespace MarketStream.Core.Ring;

/// <summary>
/// Optional for an <see cref="IEventHandler{T}"/>: the processor shows the handler the slots it is
/// about to hand over, a few events early, so the handler can prefetch the memory those events will
/// touch and the cache misses of several events overlap instead of stalling one after the other.
/// </summary>
/// <remarks>
/// <para>Two distances because the interesting memory is usually found through other memory (a
/// symbol's record, then the lines it points to): <see cref="PrefetchFar"/> sees slot
/// <c>s + 2 × LookaheadDistance</c> and should hint the first level; by the time
/// <see cref="PrefetchNear"/> sees the same slot at <c>s + LookaheadDistance</c> that level is
/// cached, so following it is cheap, and Near hints the second level. Within a batch every slot
/// gets one Far and then one Near call before its <c>OnEvent</c> (the first slots of a batch get
/// both at the batch start); slots beyond the batch are never shown. A batch shorter than
/// <c>16 × LookaheadDistance</c> events uses a distance of a sixteenth of its length (at least 1):
/// the batch-start burst of hints stays small (<see cref="BatchEventProcessor{T, THandler}.LookaheadBatchShare"/>).</para>
/// <para>Hints only: the calls must not change the slot or any state <c>OnEvent</c> depends on, and
/// a handler must be correct whether or not they happen (a caller driving <c>OnEvent</c> directly
/// makes none). On a struct handler they run on a boxed copy, so they may read only references the
/// handler holds.</para>
/// </remarks>
/// <typeparam name="T">The ring's slot type.</typeparam>
public interface IEventLookahead<T>
    where T : struct
{
    /// <summary>Events between <see cref="PrefetchNear"/> and <c>OnEvent</c> for a slot (at least 1); the most, used by batches long enough.</summary>
    int LookaheadDistance { get; }

    /// <summary>First-level hints for a slot 2 × <see cref="LookaheadDistance"/> events ahead.</summary>
    void PrefetchFar(in T upcoming);

    /// <summary>Second-level hints for a slot <see cref="LookaheadDistance"/> events ahead.</summary>
    void PrefetchNear(in T upcoming);
}
