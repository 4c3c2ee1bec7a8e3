using System.Buffers;
using MessagePack;
using MarketStream.Model;

namespace MarketStream.Protocol;

/// <summary>
/// Writes server → client messages with <see cref="MessagePackWriter"/> (docs/protocol.md §4). Field
/// order is fixed by the spec; integers take their smallest encoding. Update and Merged go through the
/// same direct writes as <see cref="MessagePackUpdateEncoder"/>, so every path yields identical bytes.
/// Control messages (Welcome, acks, Pong, Error) are sent as frames of their own; stream messages
/// (Update, Merged, Snapshot, Reset, Heartbeat, Notice) go into a Batch via <see cref="BatchWriter"/>.
/// </summary>
public static partial class ServerMessageWriter
{
    /// <summary>Writes any server message body to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, ServerMessageBody message)
    {
        var writer = new MessagePackWriter(output);
        Write(ref writer, message);
        writer.Flush();
    }

    /// <summary>Writes a decoded <see cref="ServerMessage"/> back to the wire (relays, tests).</summary>
    public static void Write(ref MessagePackWriter writer, in ServerMessage message)
    {
        switch (message.Type)
        {
            case MessageType.Update: WriteUpdate(ref writer, message.Update); break;
            case MessageType.Merged: WriteMerged(ref writer, message.Merged); break;
            default:
                Write(ref writer, message.Body ?? throw new ArgumentException("Message has no body.", nameof(message)));
                break;
        }
    }

    /// <summary>Writes any server message body.</summary>
    public static void Write(ref MessagePackWriter writer, ServerMessageBody message)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message)
        {
            case WelcomeMessage m: WriteWelcome(ref writer, m); break;
            case AuthenticatedMessage m: WriteAuthenticated(ref writer, m.RequestId, m.Subject, m.ExpiresAtNs); break;
            case SubscribeAckMessage m: WriteSubscribeAck(ref writer, m.RequestId, m.Mode, m.Symbols, m.Channels); break;
            case UnsubscribeAckMessage m: WriteUnsubscribeAck(ref writer, m.RequestId, m.SubscriptionId); break;
            case SnapshotMessage m: WriteSnapshot(ref writer, m.RequestId, m.Symbol, m.State); break;
            case ResetMessage m: WriteReset(ref writer, m.RequestId, m.Reason, m.Symbol, m.State); break;
            case HeartbeatMessage m: WriteHeartbeat(ref writer, m.ServerTimeNs, m.QueuedBytes, m.QueuedUpdates, m.LagMs, m.MergedCount); break;
            case NoticeMessage m: WriteNotice(ref writer, m.Code, m.SubscriptionId, m.Value, m.Text); break;
            case PongMessage m: WritePong(ref writer, m.RequestId, m.ClientTimeNs, m.ServerTimeNs); break;
            case ErrorMessage m: WriteError(ref writer, m.RequestId, m.Code, m.Text); break;
            case IngestAckMessage m: WriteIngestAck(ref writer, m.RequestId, m.Accepted, m.Rejected); break;
            default:
                if (!TryWriteChannelMessage(ref writer, message))
                {
                    throw new ArgumentException($"Unsupported message type {message.GetType().Name}.", nameof(message));
                }

                break;
        }
    }

    /// <summary>§4.9 Welcome.</summary>
    public static void WriteWelcome(ref MessagePackWriter writer, WelcomeMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        writer.WriteArrayHeader(10);
        writer.Write((byte)MessageType.Welcome);
        writer.Write(m.Version);
        writer.Write(m.SessionId);
        writer.Write(m.ServerTimeNs);
        writer.Write(m.AuthDeadlineMs);
        writer.Write(m.MaxMessageBytes);
        writer.Write(m.MaxSubscriptions);
        writer.Write(m.MaxMessagesPerSecond);
        writer.Write(m.MaxFrameBytes);
        writer.Write(m.HeartbeatIntervalMs);
    }

    /// <summary>§4.10 Authenticated.</summary>
    public static void WriteAuthenticated(ref MessagePackWriter writer, long requestId, string subject, long expiresAtNs)
    {
        writer.WriteArrayHeader(4);
        writer.Write((byte)MessageType.Authenticated);
        writer.Write(requestId);
        writer.Write(subject);
        writer.Write(expiresAtNs);
    }

    /// <summary>§4.11 SubscribeAck: every covered symbol's definition.</summary>
    public static void WriteSubscribeAck(ref MessagePackWriter writer, long requestId, SubscriptionMode mode, IReadOnlyList<SymbolInfo> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        writer.WriteArrayHeader(4);
        writer.Write((byte)MessageType.SubscribeAck);
        writer.Write(requestId);
        writer.Write((byte)mode);
        writer.WriteArrayHeader(symbols.Count);
        for (var i = 0; i < symbols.Count; i++)
        {
            WriteDefinition(ref writer, symbols[i]);
        }
    }

    /// <summary>§4.12 UnsubscribeAck.</summary>
    public static void WriteUnsubscribeAck(ref MessagePackWriter writer, long requestId, long subscriptionId)
    {
        writer.WriteArrayHeader(3);
        writer.Write((byte)MessageType.UnsubscribeAck);
        writer.Write(requestId);
        writer.Write(subscriptionId);
    }

    /// <summary>§4.13 Snapshot. The definition's id is written; <c>state.SymbolId</c> is not on the wire.</summary>
    public static void WriteSnapshot(ref MessagePackWriter writer, long requestId, SymbolInfo symbol, in SymbolSnapshot state)
    {
        writer.WriteArrayHeader(9);
        writer.Write((byte)MessageType.Snapshot);
        writer.Write(requestId);
        WriteSnapshotBody(ref writer, symbol, state);
    }

    /// <summary>§4.14 Reset: the snapshot body after the reason.</summary>
    public static void WriteReset(ref MessagePackWriter writer, long requestId, ResetReason reason, SymbolInfo symbol, in SymbolSnapshot state)
    {
        writer.WriteArrayHeader(10);
        writer.Write((byte)MessageType.Reset);
        writer.Write(requestId);
        writer.Write((int)reason);
        WriteSnapshotBody(ref writer, symbol, state);
    }

    /// <summary>§4.6 Update, identical bytes to <see cref="MessagePackUpdateEncoder.EncodeUpdate"/>.</summary>
    public static void WriteUpdate(ref MessagePackWriter writer, in Tick tick)
    {
        var span = writer.GetSpan(MessagePackUpdateEncoder.MaxUpdateBytes);
        writer.Advance(MessagePackUpdateEncoder.Instance.EncodeUpdate(tick, span));
    }

    /// <summary>§4.7 Merged, identical bytes to <see cref="MessagePackUpdateEncoder.EncodeMerged"/>.</summary>
    public static void WriteMerged(ref MessagePackWriter writer, in MergedUpdate merged)
    {
        var span = writer.GetSpan(MessagePackUpdateEncoder.MaxMergedBytes);
        writer.Advance(MessagePackUpdateEncoder.Instance.EncodeMerged(merged, span));
    }

    /// <summary>§4.15 Heartbeat.</summary>
    public static void WriteHeartbeat(ref MessagePackWriter writer, long serverTimeNs, long queuedBytes, long queuedUpdates, long lagMs, long mergedCount)
    {
        writer.WriteArrayHeader(6);
        writer.Write((byte)MessageType.Heartbeat);
        writer.Write(serverTimeNs);
        writer.Write(queuedBytes);
        writer.Write(queuedUpdates);
        writer.Write(lagMs);
        writer.Write(mergedCount);
    }

    /// <summary>§4.16 Notice.</summary>
    public static void WriteNotice(ref MessagePackWriter writer, NoticeCode code, long subscriptionId, long value, string text)
    {
        writer.WriteArrayHeader(5);
        writer.Write((byte)MessageType.Notice);
        writer.Write((int)code);
        writer.Write(subscriptionId);
        writer.Write(value);
        writer.Write(text);
    }

    /// <summary>§4.18 Pong.</summary>
    public static void WritePong(ref MessagePackWriter writer, long requestId, long clientTimeNs, long serverTimeNs)
    {
        writer.WriteArrayHeader(4);
        writer.Write((byte)MessageType.Pong);
        writer.Write(requestId);
        writer.Write(clientTimeNs);
        writer.Write(serverTimeNs);
    }

    /// <summary>§4.19 Error.</summary>
    public static void WriteError(ref MessagePackWriter writer, long requestId, ErrorCode code, string text)
    {
        writer.WriteArrayHeader(4);
        writer.Write((byte)MessageType.Error);
        writer.Write(requestId);
        writer.Write((int)code);
        writer.Write(text);
    }

    /// <summary>§4.19 Error from a reader's <see cref="ProtocolError"/>.</summary>
    public static void WriteError(ref MessagePackWriter writer, in ProtocolError error) =>
        WriteError(ref writer, error.RequestId, error.Code, error.Message);

    /// <summary>§4.20 IngestAck: <c>[29, requestId, accepted, [[index, code], …]]</c>, rejects by ascending index.</summary>
    public static void WriteIngestAck(ref MessagePackWriter writer, long requestId, int accepted, ReadOnlySpan<IngestReject> rejected = default)
    {
        writer.WriteArrayHeader(4);
        writer.Write((byte)MessageType.IngestAck);
        writer.Write(requestId);
        writer.Write(accepted);
        writer.WriteArrayHeader(rejected.Length);
        foreach (var reject in rejected)
        {
            writer.WriteArrayHeader(2);
            writer.Write(reject.Index);
            writer.Write((byte)reject.Code);
        }
    }

    /// <summary>§4.20 IngestAck from a list of rejects.</summary>
    public static void WriteIngestAck(ref MessagePackWriter writer, long requestId, int accepted, IReadOnlyList<IngestReject> rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        writer.WriteArrayHeader(4);
        writer.Write((byte)MessageType.IngestAck);
        writer.Write(requestId);
        writer.Write(accepted);
        writer.WriteArrayHeader(rejected.Count);
        for (var i = 0; i < rejected.Count; i++)
        {
            writer.WriteArrayHeader(2);
            writer.Write(rejected[i].Index);
            writer.Write((byte)rejected[i].Code);
        }
    }

    /// <summary>§2.2 definition: <c>[id, name, priceScale, sizeScale, currency, venue]</c>.</summary>
    public static void WriteDefinition(ref MessagePackWriter writer, SymbolInfo symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        writer.WriteArrayHeader(6);
        writer.Write(symbol.Id);
        writer.Write(symbol.Name);
        writer.Write(symbol.PriceScale);
        writer.Write(symbol.SizeScale);
        writer.Write(symbol.Currency);
        writer.Write(symbol.Venue);
    }

    private static void WriteSnapshotBody(ref MessagePackWriter writer, SymbolInfo symbol, in SymbolSnapshot s)
    {
        WriteDefinition(ref writer, symbol);
        writer.Write(s.Epoch);
        writer.Write(s.Seq);
        if (s.HasQuote)
        {
            writer.WriteArrayHeader(4);
            writer.Write(s.BidPrice);
            writer.Write(s.BidSize);
            writer.Write(s.AskPrice);
            writer.Write(s.AskSize);
        }
        else
        {
            writer.WriteNil();
        }

        if (s.HasTrade)
        {
            writer.WriteArrayHeader(8);
            writer.Write(s.LastPrice);
            writer.Write(s.LastSize);
            writer.Write((byte)s.LastSide);
            writer.Write(s.Open);
            writer.Write(s.High);
            writer.Write(s.Low);
            writer.Write(s.Volume);
            writer.Write(s.TradeCount);
        }
        else
        {
            writer.WriteNil();
        }

        writer.Write(s.ExchangeTimeNs);
        writer.Write(s.ServerTimeNs);
    }
}
