using MarketStream.Model;
using MarketStream.Protocol.Internal;
using MessagePack;

namespace MarketStream.Protocol;

/// <summary>
/// Subscribe's channel list and replay start, channel resume positions and the channel SnapshotRequest
/// (docs/protocol.md §4.2, §4.4), checked against <see cref="DecoderLimits.Channels"/> with the codes of §5.2.
/// </summary>
public static partial class ClientMessageReader
{
    private static bool TryReadSnapshotRequest(ref MessagePackReader reader, int count, long requestId, out ClientMessage? message, out ProtocolError error)
    {
        message = null;
        if (count is not (3 or 4))
        {
            return WrongLength(requestId, "SnapshotRequest has 3 elements, 4 with a channel", out error);
        }

        if (!FieldReader.NextIsString(ref reader))
        {
            return Fail(ErrorCode.InvalidField, requestId, "SnapshotRequest symbol must be a string", out error);
        }

        if (!FieldReader.TryReadSymbol(ref reader, pattern: false, out var symbol))
        {
            return Fail(ErrorCode.InvalidSymbol, requestId, "SnapshotRequest symbol is not a valid symbol name", out error);
        }

        var channel = ChannelKind.None;
        if (count == 4 && !TryReadChannelCode(ref reader, requestId, "SnapshotRequest", out channel, out error))
        {
            return false;
        }

        message = new SnapshotRequest(requestId, symbol) { Channel = channel };
        error = default;
        return true;
    }

    /// <summary>The <c>channel, intervalSeconds</c> tail of a 5-element resume entry.</summary>
    private static bool TryReadResumeStream(ref MessagePackReader reader, long requestId, ChannelLimits limits, ref ResumePosition position, out ProtocolError error)
    {
        if (!TryReadChannelCode(ref reader, requestId, "Subscribe resume", out var channel, out error))
        {
            return false;
        }

        if (!FieldReader.TryReadInt32(ref reader, 0, int.MaxValue, out var interval))
        {
            return Fail(ErrorCode.InvalidField, requestId, "Subscribe resume intervalSeconds must be a non-negative integer", out error);
        }

        if (channel == ChannelKind.Bars ? !limits.IsBarInterval(interval) : interval != 0)
        {
            return Fail(channel == ChannelKind.Bars ? ErrorCode.UnknownInterval : ErrorCode.InvalidField, requestId, "Subscribe resume intervalSeconds must be a bar interval of the server for bars and 0 otherwise", out error);
        }

        position = position with { Channel = channel, IntervalSeconds = interval };
        error = default;
        return true;
    }

    /// <summary>Element 7: <c>nil</c> (quotes and trades) or 1–16 entries, each channel (each bar interval) once.</summary>
    private static bool TryReadChannels(ref MessagePackReader reader, long requestId, ChannelLimits limits, out ChannelRequest[]? channels, out ProtocolError error)
    {
        channels = null;
        if (FieldReader.TryReadArrayHeaderOrNil(ref reader, out var n) && n < 0)
        {
            error = default;
            return true;
        }

        if (n is < 1 or > ChannelLimits.MaxEntries)
        {
            return Fail(ErrorCode.InvalidField, requestId, "Subscribe channels must be nil or an array of 1 to 16 channel entries", out error);
        }

        var result = new ChannelRequest[n];
        for (var i = 0; i < n; i++)
        {
            if (!TryReadChannelEntry(ref reader, requestId, limits, out result[i], out error))
            {
                return false;
            }

            for (var j = 0; j < i; j++)
            {
                if (result[j].Channel == result[i].Channel && result[j].IntervalSeconds == result[i].IntervalSeconds)
                {
                    return Fail(ErrorCode.DuplicateChannel, requestId, "Subscribe channels names a channel (or bar interval) twice", out error);
                }
            }
        }

        channels = result;
        error = default;
        return true;
    }

    private static bool TryReadChannelEntry(ref MessagePackReader reader, long requestId, ChannelLimits limits, out ChannelRequest entry, out ProtocolError error)
    {
        entry = default;
        if (!FieldReader.TryReadArrayHeader(ref reader, out var fields) || fields == 0)
        {
            return Fail(ErrorCode.InvalidField, requestId, "a channel entry is an array [channel, …]", out error);
        }

        if (!TryReadChannelCode(ref reader, requestId, "a channel entry", out var channel, out error))
        {
            return false;
        }

        if (fields != ChannelLimits.EntryLength(channel))
        {
            return Fail(ErrorCode.InvalidField, requestId, "channel entries are [1], [2, history], [3, depth], [4, intervalSeconds, history], [5], [6]", out error);
        }

        switch (channel)
        {
            case ChannelKind.Trades:
                if (!TryReadHistory(ref reader, requestId, limits.MaxTradesHistory, "trades history must be an integer from 0 to the cap (100 by default)", out var trades, out error))
                {
                    return false;
                }

                entry = ChannelRequest.Trades(trades);
                break;
            case ChannelKind.Book:
                if (!FieldReader.TryReadInt64(ref reader, out var depth) || depth < 0)
                {
                    return Fail(ErrorCode.InvalidField, requestId, "book depth must be a non-negative integer", out error);
                }

                if (depth > limits.MaxBookDepth)
                {
                    return Fail(ErrorCode.BookDepthTooLarge, requestId, "book depth is above the server's cap (50 by default)", out error);
                }

                entry = ChannelRequest.Book((int)depth); // as sent: SubscribeAck echoes the effective depth
                break;
            case ChannelKind.Bars:
                if (!FieldReader.TryReadInt64(ref reader, out var interval) || interval <= 0)
                {
                    return Fail(ErrorCode.InvalidField, requestId, "bars intervalSeconds must be a positive integer", out error);
                }

                if (interval > int.MaxValue || !limits.IsBarInterval((int)interval))
                {
                    return Fail(ErrorCode.UnknownInterval, requestId, "bars intervalSeconds is not an interval the server computes", out error);
                }

                if (!TryReadHistory(ref reader, requestId, limits.MaxBarsHistory, "bars history must be an integer from 0 to the cap (1000 by default)", out var bars, out error))
                {
                    return false;
                }

                entry = ChannelRequest.Bars((int)interval, bars);
                break;
            default:
                entry = new ChannelRequest(channel);
                break;
        }

        error = default;
        return true;
    }

    private static bool TryReadHistory(ref MessagePackReader reader, long requestId, int cap, string detail, out int history, out ProtocolError error)
    {
        history = 0;
        if (!FieldReader.TryReadInt64(ref reader, out var value) || value < 0)
        {
            return Fail(ErrorCode.InvalidField, requestId, detail, out error);
        }

        if (value > cap)
        {
            return Fail(ErrorCode.HistoryTooLarge, requestId, detail, out error);
        }

        history = (int)value;
        error = default;
        return true;
    }

    /// <summary>An integer channel code: 1002 if not an integer, 1014 if not a channel this version knows.</summary>
    private static bool TryReadChannelCode(ref MessagePackReader reader, long requestId, string what, out ChannelKind channel, out ProtocolError error)
    {
        channel = ChannelKind.None;
        if (!FieldReader.TryReadInt64(ref reader, out var code))
        {
            return Fail(ErrorCode.InvalidField, requestId, what + ": channel must be an integer code", out error);
        }

        if (code is < (long)ChannelKind.Quotes or > (long)ChannelKind.Status)
        {
            return Fail(ErrorCode.UnknownChannel, requestId, what + ": unknown channel code", out error);
        }

        channel = (ChannelKind)code;
        error = default;
        return true;
    }

    /// <summary>Element 8: <c>[startTimeNs, pacePercent]</c>; <c>nil</c> = live.</summary>
    private static bool TryReadReplay(ref MessagePackReader reader, long requestId, out ReplayStart? replay, out ProtocolError error)
    {
        replay = null;
        if (!FieldReader.TryReadArrayHeaderOrNil(ref reader, out var n) || n is not (-1 or 2))
        {
            return Fail(ErrorCode.InvalidField, requestId, "Subscribe replay must be nil or [startTimeNs, pacePercent]", out error);
        }

        if (n == 2)
        {
            if (!FieldReader.TryReadInt64(ref reader, 1, long.MaxValue, out var start)
                || !FieldReader.TryReadInt32(ref reader, 0, ChannelLimits.MaxReplayPacePercent, out var pace))
            {
                return Fail(ErrorCode.InvalidField, requestId, "Subscribe replay is [startTimeNs > 0, pacePercent 0–10000]", out error);
            }

            replay = new ReplayStart(start, pace);
        }

        error = default;
        return true;
    }
}
