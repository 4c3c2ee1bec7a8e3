using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MarketStream.Model;

namespace MarketStream.Protocol;

/// <summary>
/// One decoded server → client message. Update and Merged — the bulk of every frame — decode into
/// the Core structs without allocating; every other type arrives as a <see cref="ServerMessageBody"/>.
/// </summary>
public readonly struct ServerMessage
{
    // Update and Merged overlap (both are unmanaged): half the bytes to copy per decoded message.
    private readonly Payload _payload;

    internal ServerMessage(in Tick update)
    {
        Type = MessageType.Update;
        _payload.Update = update;
    }

    internal ServerMessage(in MergedUpdate merged)
    {
        Type = MessageType.Merged;
        _payload.Merged = merged;
    }

    internal ServerMessage(ServerMessageBody body)
    {
        Type = body.Type;
        Body = body;
    }

    private ServerMessage(MessageType type) => Type = type;

    /// <summary>Wire type code.</summary>
    public MessageType Type { get; }

    /// <summary>The update when <see cref="Type"/> is <see cref="MessageType.Update"/>; SymbolId, Epoch, Seq, Kind and timestamps always set.</summary>
    public Tick Update => Type == MessageType.Update ? _payload.Update : default;

    /// <summary>The merged update when <see cref="Type"/> is <see cref="MessageType.Merged"/>.</summary>
    public MergedUpdate Merged => Type == MessageType.Merged ? _payload.Merged : default;

    /// <summary>The message for every other type; null for Update and Merged.</summary>
    public ServerMessageBody? Body { get; }

    /// <summary>An empty Update whose tick the decoder fills in place (the message is ~100 bytes: no second copy).</summary>
    internal static ref Tick StartUpdate([UnscopedRef] out ServerMessage message)
    {
        message = new ServerMessage(MessageType.Update);
        return ref Unsafe.AsRef(in message._payload.Update);
    }

    /// <summary>An empty Merged update the decoder fills in place.</summary>
    internal static ref MergedUpdate StartMerged([UnscopedRef] out ServerMessage message)
    {
        message = new ServerMessage(MessageType.Merged);
        return ref Unsafe.AsRef(in message._payload.Merged);
    }

    [StructLayout(LayoutKind.Explicit)]
    private struct Payload
    {
        [FieldOffset(0)]
        public Tick Update;

        [FieldOffset(0)]
        public MergedUpdate Merged;
    }
}
