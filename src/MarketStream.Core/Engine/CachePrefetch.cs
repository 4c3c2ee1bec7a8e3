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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Object(object instance, int length) =>
        Range(ref Unsafe.As<RawObject>(instance).FirstByte, length);

    // Any object viewed as this type exposes a reference to its first field's byte (the layout
    // of every managed object starts with its fields right after the method-table pointer).
    private sealed class RawObject
    {
        public byte FirstByte;
    }
}
