using System.Buffers;
using MessagePack;
using MarketStream.Model;

namespace MarketStream.Protocol;

/// <summary>
/// Writes client → server requests (docs/protocol.md §4.1–§4.5, §4.17). Used by the C# client, feed
/// publishers and tests. The writer does not validate symbols: the server does, and answers with an Error.
/// </summary>
public static partial class ClientMessageWriter
{
    /// <summary>Writes any request to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, ClientMessage message)
    {
        var writer = new MessagePackWriter(output);
        Write(ref writer, message);
        writer.Flush();
    }

    /// <summary>Writes any request.</summary>
    public static void Write(ref MessagePackWriter writer, ClientMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message)
        {
            case AuthenticateRequest m:
                writer.WriteArrayHeader(3);
                writer.Write((byte)MessageType.Authenticate);
                writer.Write(m.RequestId);
                writer.Write(m.Token);
                break;
            case SubscribeRequest m:
                WriteSubscribe(ref writer, m);
                break;
            case UnsubscribeRequest m:
                writer.WriteArrayHeader(3);
                writer.Write((byte)MessageType.Unsubscribe);
                writer.Write(m.RequestId);
                writer.Write(m.SubscriptionId);
                break;
            case SnapshotRequest m:
                writer.WriteArrayHeader(m.Channel == ChannelKind.None ? 3 : 4);
                writer.Write((byte)MessageType.SnapshotRequest);
                writer.Write(m.RequestId);
                writer.Write(m.Symbol);
                if (m.Channel != ChannelKind.None)
                {
                    writer.Write((byte)m.Channel);
                }

                break;
            case PingRequest m:
                writer.WriteArrayHeader(3);
                writer.Write((byte)MessageType.Ping);
                writer.Write(m.RequestId);
                writer.Write(m.ClientTimeNs);
                break;
            case IngestTicksRequest m:
                WriteIngestTicks(ref writer, m);
                break;
            default:
                throw new ArgumentException($"Unsupported message type {message.GetType().Name}.", nameof(message));
        }
    }

    private static void WriteSubscribe(ref MessagePackWriter writer, SubscribeRequest m)
    {
        // The v1 form is exactly 7 elements; channels and replay are appended only when used (§4.2).
        writer.WriteArrayHeader(m.Replay is not null ? 9 : m.Channels is not null ? 8 : 7);
        writer.Write((byte)MessageType.Subscribe);
        writer.Write(m.RequestId);
        writer.WriteArrayHeader(m.Symbols.Count);
        for (var i = 0; i < m.Symbols.Count; i++)
        {
            writer.Write(m.Symbols[i]);
        }

        writer.Write((byte)m.Mode);
        writer.Write(m.MaxRateMs);
        writer.Write(m.MaxLagMs);
        writer.WriteArrayHeader(m.Resume.Count);
        for (var i = 0; i < m.Resume.Count; i++)
        {
            var r = m.Resume[i];
            writer.WriteArrayHeader(r.Channel == ChannelKind.None ? 3 : 5);
            writer.Write(r.Symbol);
            writer.Write(r.Epoch);
            writer.Write(r.Seq);
            if (r.Channel != ChannelKind.None)
            {
                writer.Write((byte)r.Channel);
                writer.Write(r.IntervalSeconds);
            }
        }

        WriteChannelsAndReplay(ref writer, m);
    }

    private static void WriteIngestTicks(ref MessagePackWriter writer, IngestTicksRequest m)
    {
        WriteIngestTicksHeader(ref writer, m.RequestId, m.Ticks.Count);
        for (var i = 0; i < m.Ticks.Count; i++)
        {
            WriteIngestTick(ref writer, m.Ticks[i]);
        }
    }

    /// <summary>
    /// §4.17 IngestTicks without an <see cref="IngestTicksRequest"/>: the header, then
    /// <paramref name="tickCount"/> calls of <see cref="WriteIngestTick"/> (publishers that stream
    /// from their own buffers, the ingest benchmark).
    /// </summary>
    public static void WriteIngestTicksHeader(ref MessagePackWriter writer, long requestId, int tickCount)
    {
        writer.WriteArrayHeader(3);
        writer.Write((byte)MessageType.IngestTicks);
        writer.Write(requestId);
        writer.WriteArrayHeader(tickCount);
    }

    /// <summary>One IngestTicks entry <c>[symbol, kind, exchangeTimeNs, a, b, c, d]</c> (§4.17).</summary>
    public static void WriteIngestTick(ref MessagePackWriter writer, in IngestTick entry)
    {
        var tick = entry.Tick;
        writer.WriteArrayHeader(7);
        writer.Write(entry.Symbol);
        writer.Write((byte)tick.Kind);
        writer.Write(tick.ExchangeTimeNs);
        if (tick.Kind == TickKind.Trade)
        {
            writer.Write(tick.Price);
            writer.Write(tick.Size);
            writer.Write((byte)tick.Side);
            writer.Write(tick.Conditions);
        }
        else
        {
            writer.Write(tick.BidPrice);
            writer.Write(tick.BidSize);
            writer.Write(tick.AskPrice);
            writer.Write(tick.AskSize);
        }
    }
}
