using System.Buffers;
using MarketStream.Model;
using MarketStream.Protocol.Internal;
using MessagePack;

namespace MarketStream.Protocol;

/// <summary>
/// Decodes client → server requests on the server, treating every byte as hostile (docs/protocol.md §7).
/// A structural pass enforces size, depth and length limits over the raw bytes first; then each field's
/// type and range is checked before it is read. Any malformed input yields a <see cref="ProtocolError"/>
/// with a stable code — nothing is thrown. Arrays must have exactly the documented length.
/// </summary>
public static partial class ClientMessageReader
{
    /// <summary>Decodes one request with <see cref="DecoderLimits.ClientInput"/>.</summary>
    public static bool TryRead(ReadOnlySequence<byte> data, out ClientMessage? message, out ProtocolError error) =>
        TryRead(data, DecoderLimits.ClientInput, out message, out error);

    /// <summary>Decodes one request (one complete WebSocket message).</summary>
    /// <returns>True with <paramref name="message"/> set, or false with <paramref name="error"/> set.</returns>
    public static bool TryRead(ReadOnlySequence<byte> data, DecoderLimits limits, out ClientMessage? message, out ProtocolError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (data.Length > limits.MaxMessageBytes)
        {
            message = null;
            error = new ProtocolError(ErrorCode.MessageTooLarge, 0, "message exceeds the maximum message size");
            return false;
        }

        if (data.IsSingleSegment)
        {
            return TryRead(data.First, limits, out message, out error);
        }

        // The structural pass and zero-copy symbol checks want contiguous bytes; the size is bounded above.
        var length = (int)data.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            data.CopyTo(rented);
            return TryRead(rented.AsMemory(0, length), limits, out message, out error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes one request with <see cref="DecoderLimits.ClientInput"/>.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> data, out ClientMessage? message, out ProtocolError error) =>
        TryRead(data, DecoderLimits.ClientInput, out message, out error);

    /// <summary>Decodes one request (one complete WebSocket message).</summary>
    public static bool TryRead(ReadOnlyMemory<byte> data, DecoderLimits limits, out ClientMessage? message, out ProtocolError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        message = null;
        var code = StructureValidator.Validate(data.Span, limits, out var detail);
        if (code != ErrorCode.None)
        {
            error = new ProtocolError(code, 0, detail);
            return false;
        }

        var reader = new MessagePackReader(data);
        try
        {
            return TryReadValidated(ref reader, limits.Channels, out message, out error);
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or OverflowException or ArgumentException)
        {
            // Unreachable after validation and type checks; kept so a reader bug can never become a crash (§7).
            error = new ProtocolError(ErrorCode.MalformedMessage, 0, "message could not be decoded");
            return false;
        }
    }

    private static bool TryReadValidated(ref MessagePackReader reader, ChannelLimits channelLimits, out ClientMessage? message, out ProtocolError error)
    {
        message = null;
        if (!FieldReader.TryReadArrayHeader(ref reader, out var count) || count == 0)
        {
            return Fail(ErrorCode.UnknownMessageType, 0, "a message is an array [type, …]", out error);
        }

        if (!FieldReader.TryReadInt32(ref reader, 0, byte.MaxValue, out var typeCode))
        {
            return Fail(ErrorCode.UnknownMessageType, 0, "element 0 must be an integer type code", out error);
        }

        if (count < 2 || !FieldReader.TryReadInt64(ref reader, 1, long.MaxValue, out var requestId))
        {
            return Fail(ErrorCode.InvalidRequestId, 0, "element 1 must be a positive request id", out error);
        }

        var type = (MessageType)typeCode;
        switch (type)
        {
            case MessageType.Authenticate:
                if (count != 3)
                {
                    return WrongLength(requestId, "Authenticate has 3 elements", out error);
                }

                if (!FieldReader.TryReadUtf8(ref reader, out var token) || token.IsEmpty)
                {
                    return Fail(ErrorCode.InvalidField, requestId, "Authenticate token must be a non-empty string", out error);
                }

                message = new AuthenticateRequest(requestId, System.Text.Encoding.UTF8.GetString(token));
                break;

            case MessageType.Subscribe:
                return TryReadSubscribe(ref reader, count, requestId, channelLimits, out message, out error);

            case MessageType.Unsubscribe:
                if (count != 3)
                {
                    return WrongLength(requestId, "Unsubscribe has 3 elements", out error);
                }

                if (!FieldReader.TryReadInt64(ref reader, 1, long.MaxValue, out var subscriptionId))
                {
                    return Fail(ErrorCode.InvalidField, requestId, "Unsubscribe subscriptionId must be a positive integer", out error);
                }

                message = new UnsubscribeRequest(requestId, subscriptionId);
                break;

            case MessageType.SnapshotRequest:
                return TryReadSnapshotRequest(ref reader, count, requestId, out message, out error);

            case MessageType.Ping:
                if (count != 3)
                {
                    return WrongLength(requestId, "Ping has 3 elements", out error);
                }

                if (!FieldReader.TryReadInt64(ref reader, out var clientTime))
                {
                    return Fail(ErrorCode.InvalidField, requestId, "Ping clientTimeNs must be an integer", out error);
                }

                message = new PingRequest(requestId, clientTime);
                break;

            case MessageType.IngestTicks:
                return TryReadIngest(ref reader, count, requestId, out message, out error);

            default:
                return Fail(ErrorCode.UnknownMessageType, requestId, "unknown client message type", out error);
        }

        error = default;
        return true;
    }

    private static bool TryReadSubscribe(ref MessagePackReader reader, int count, long requestId, ChannelLimits channelLimits, out ClientMessage? message, out ProtocolError error)
    {
        message = null;
        if (count is < 7 or > 9)
        {
            return WrongLength(requestId, "Subscribe has 7 elements, 8 with channels, 9 with replay", out error);
        }

        if (!FieldReader.TryReadArrayHeader(ref reader, out var symbolCount) || symbolCount == 0)
        {
            return Fail(ErrorCode.InvalidField, requestId, "Subscribe symbols must be a non-empty array of strings", out error);
        }

        var symbols = new string[symbolCount];
        for (var i = 0; i < symbolCount; i++)
        {
            if (!FieldReader.NextIsString(ref reader))
            {
                return Fail(ErrorCode.InvalidField, requestId, "Subscribe symbols must be a non-empty array of strings", out error);
            }

            if (!FieldReader.TryReadSymbol(ref reader, pattern: true, out symbols[i]))
            {
                return Fail(ErrorCode.InvalidPattern, requestId, "Subscribe symbols holds an invalid symbol or pattern", out error);
            }
        }

        if (!FieldReader.TryReadInt32(ref reader, 0, 1, out var mode))
        {
            return Fail(ErrorCode.InvalidField, requestId, "Subscribe mode must be 0 (conflated) or 1 (full)", out error);
        }

        if (!FieldReader.TryReadInt32(ref reader, 0, SubscriptionLimits.MaxIntervalMs, out var maxRateMs))
        {
            return Fail(ErrorCode.InvalidField, requestId, "Subscribe maxRateMs must be an integer from 0 to 86400000", out error);
        }

        if (!FieldReader.TryReadInt32(ref reader, 0, SubscriptionLimits.MaxIntervalMs, out var maxLagMs))
        {
            return Fail(ErrorCode.InvalidField, requestId, "Subscribe maxLagMs must be an integer from 0 to 86400000", out error);
        }

        if (!FieldReader.TryReadArrayHeader(ref reader, out var resumeCount))
        {
            return Fail(ErrorCode.InvalidField, requestId, "Subscribe resume must be an array", out error);
        }

        var resume = resumeCount == 0 ? [] : new ResumePosition[resumeCount];
        for (var i = 0; i < resumeCount; i++)
        {
            if (!FieldReader.TryReadArrayHeader(ref reader, out var fields) || fields is not (3 or 5))
            {
                return Fail(ErrorCode.InvalidField, requestId, "Subscribe resume entries are [symbol, epoch, seq] or [symbol, epoch, seq, channel, intervalSeconds]", out error);
            }

            if (!FieldReader.NextIsString(ref reader))
            {
                return Fail(ErrorCode.InvalidField, requestId, "Subscribe resume entries are [symbol, epoch, seq] with a string symbol", out error);
            }

            if (!FieldReader.TryReadSymbol(ref reader, pattern: false, out var name))
            {
                return Fail(ErrorCode.InvalidSymbol, requestId, "Subscribe resume symbol is not a valid symbol name", out error);
            }

            if (!FieldReader.TryReadInt64(ref reader, 0, long.MaxValue, out var epoch)
                || !FieldReader.TryReadInt64(ref reader, 0, long.MaxValue, out var seq))
            {
                return Fail(ErrorCode.InvalidField, requestId, "Subscribe resume epoch and seq must be non-negative integers", out error);
            }

            resume[i] = new ResumePosition(name, epoch, seq);
            if (fields == 5 && !TryReadResumeStream(ref reader, requestId, channelLimits, ref resume[i], out error))
            {
                return false;
            }
        }

        ChannelRequest[]? channels = null;
        if (count >= 8 && !TryReadChannels(ref reader, requestId, channelLimits, out channels, out error))
        {
            return false;
        }

        ReplayStart? replay = null;
        if (count == 9 && !TryReadReplay(ref reader, requestId, out replay, out error))
        {
            return false;
        }

        message = new SubscribeRequest(requestId, symbols, (SubscriptionMode)mode, maxRateMs, maxLagMs, resume) { Channels = channels, Replay = replay };
        error = default;
        return true;
    }

    private static bool TryReadIngest(ref MessagePackReader reader, int count, long requestId, out ClientMessage? message, out ProtocolError error)
    {
        message = null;
        if (count != 3)
        {
            return WrongLength(requestId, "IngestTicks has 3 elements", out error);
        }

        if (!FieldReader.TryReadArrayHeader(ref reader, out var tickCount))
        {
            return Fail(ErrorCode.InvalidField, requestId, "IngestTicks ticks must be an array", out error);
        }

        var ticks = tickCount == 0 ? [] : new IngestTick[tickCount];
        for (var i = 0; i < tickCount; i++)
        {
            // One bad entry refuses that tick, not the message (§4.17): the structure was validated,
            // so the reader steps over the entry whatever its content and the next entry is read.
            var entry = reader;
            reader.Skip();
            ticks[i] = ReadIngestTick(ref entry);
        }

        message = new IngestTicksRequest(requestId, ticks);
        error = default;
        return true;
    }

    /// <summary>One <c>[symbol, kind, exchangeTimeNs, a, b, c, d]</c>, or an entry marked with its reject code.</summary>
    private static IngestTick ReadIngestTick(ref MessagePackReader reader)
    {
        if (!FieldReader.TryReadArrayHeader(ref reader, out var fields) || fields != 7)
        {
            return Refused(IngestRejectCode.MalformedTick);
        }

        if (!FieldReader.TryReadUtf8(ref reader, out var utf8))
        {
            return Refused(IngestRejectCode.MalformedTick);
        }

        if (!SymbolRules.IsValidName(utf8))
        {
            return Refused(IngestRejectCode.InvalidSymbol);
        }

        var name = System.Text.Encoding.ASCII.GetString(utf8);
        if (!FieldReader.TryReadInt64(ref reader, out var kind))
        {
            return Refused(IngestRejectCode.MalformedTick, name);
        }

        if (kind is not ((long)TickKind.Quote or (long)TickKind.Trade))
        {
            return Refused(IngestRejectCode.BadKind, name);
        }

        var tick = new Tick { Kind = (TickKind)kind };
        if (!FieldReader.TryReadInt64(ref reader, out tick.ExchangeTimeNs))
        {
            return Refused(IngestRejectCode.MalformedTick, name);
        }

        if (tick.Kind == TickKind.Trade)
        {
            if (!FieldReader.TryReadInt64(ref reader, out tick.Price)
                || !FieldReader.TryReadInt64(ref reader, out tick.Size)
                || !FieldReader.TryReadInt64(ref reader, out var side))
            {
                return Refused(IngestRejectCode.MalformedTick, name);
            }

            if (side is < 0 or > (long)TradeSide.Sell)
            {
                return Refused(IngestRejectCode.BadSide, name);
            }

            if (!FieldReader.TryReadInt32(ref reader, 0, ushort.MaxValue, out var conditions))
            {
                return Refused(IngestRejectCode.MalformedTick, name);
            }

            tick.Side = (TradeSide)side;
            tick.Conditions = (ushort)conditions;
        }
        else if (!FieldReader.TryReadInt64(ref reader, out tick.BidPrice)
            || !FieldReader.TryReadInt64(ref reader, out tick.BidSize)
            || !FieldReader.TryReadInt64(ref reader, out tick.AskPrice)
            || !FieldReader.TryReadInt64(ref reader, out tick.AskSize))
        {
            return Refused(IngestRejectCode.MalformedTick, name);
        }

        return new IngestTick(name, tick);
    }

    private static IngestTick Refused(IngestRejectCode code, string symbol = "") => new(symbol, default) { Reject = code };

    private static bool WrongLength(long requestId, string detail, out ProtocolError error) =>
        Fail(ErrorCode.InvalidField, requestId, detail, out error);

    private static bool Fail(ErrorCode code, long requestId, string detail, out ProtocolError error)
    {
        error = new ProtocolError(code, requestId, detail);
        return false;
    }
}
