using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace MarketStream.Core.Engine;

/// <summary>
/// Software prefetch for the engine's hot paths: hints that pull cache lines in ahead of use, so
/// several misses overlap instead of stalling one after the other. A hint never faults and never
/// changes a result (a stale address after the GC moved an object only wastes the hint); on
/// hardware without SSE it compiles to nothing.
/// </summary>
internal static unsafe class CachePrefetch
{
    private const int LineSize = 64;

    /// <summary>Every cache line of <paramref name="length"/> bytes starting at <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Range(ref byte start, int length)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var address = (byte*)Unsafe.AsPointer(ref start);
        for (var offset = 0; offset < length; offset += LineSize)
        {
            Sse.Prefetch0(address + offset);
        }

        // The last byte may sit on one more line when the start is not line-aligned.
        Sse.Prefetch0(address + length - 1);
    }

    /// <summary>The first <paramref name="length"/> bytes of an object's fields.</summary>
    /// <remarks>
    /// The address comes from the reference itself (it points at the object's method-table
    /// pointer; the fields follow), never from a field access: a field access makes the JIT emit a
    /// null check, i.e. a load from the object, which stalls on the very cache miss the hint is
    /// meant to overlap: fan-out's first subscriptions of each tick would be loaded one after the
    /// other by those checks, before any prefetch is issued.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Object(object instance, int length) =>
        Range(ref Unsafe.AsRef<byte>((byte*)Unsafe.As<object, nint>(ref instance) + sizeof(nint)), length);
}
