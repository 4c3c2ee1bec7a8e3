using MarketStream.Core.Market;

namespace MarketStream.Protocol;

/// <summary>
/// One decoded server → client message. Update and Merged — the bulk of every frame — decode into
/// the Core structs without allocating; every other type arrives as a <see cref="ServerMessageBody"/>.
/// </summary>
public readonly struct ServerMessage
{
    private readonly Tick _update;
    private readonly MergedUpdate _merged;

    internal ServerMessage(in Tick update)
    {
        Type = MessageType.Update;
        _update = update;
    }

    internal ServerMessage(in MergedUpdate merged)
    {
        Type = MessageType.Merged;
        _merged = merged;
    }

    internal ServerMessage(ServerMessageBody body)
    {
        Type = body.Type;
        Body = body;
    }

    /// <summary>Wire type code.</summary>
    public MessageType Type { get; }

    /// <summary>The update when <see cref="Type"/> is <see cref="MessageType.Update"/>; SymbolId, Epoch, Seq, Kind and timestamps always set.</summary>
    public Tick Update => _update;

    /// <summary>The merged update when <see cref="Type"/> is <see cref="MessageType.Merged"/>.</summary>
    public MergedUpdate Merged => _merged;

    /// <summary>The message for every other type; null for Update and Merged.</summary>
    public ServerMessageBody? Body { get; }
}
