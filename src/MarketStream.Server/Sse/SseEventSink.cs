using System.Text.Json;
using MarketStream.Core.Sessions;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Server.Sse;

/// <summary>
/// The JSON face of one SSE stream: an <see cref="IOutboxSink"/> that turns what the session outbox
/// drains (encoded updates, snapshots, resets, notices) into <c>text/event-stream</c> events in an
/// <see cref="SseBuffer"/>, and keeps every symbol's position so each data event's id can resume the
/// whole stream. Runs under the outbox lock (the sink contract): it only formats into memory, the
/// session writes the buffer to the socket after the drain.
/// </summary>
internal sealed class SseEventSink : IOutboxSink, IDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = false, SkipValidation = true };

    private readonly SseBuffer _buffer;
    private readonly Utf8JsonWriter _json;
    private readonly int _maxBatchBytes;
    private readonly SymbolInfo[] _symbols;
    private readonly Dictionary<int, int> _indexById;
    private readonly uint _setHash;
    private readonly long _baseEpoch;
    private readonly long[] _epochs;
    private readonly long[] _seqs;
    private readonly long[] _resumeEpochs;
    private readonly long[] _resumeSeqs;
    private readonly ResetReason[] _forcedResets;
    private readonly byte[] _update;

    /// <param name="symbols">The stream's symbols in canonical order (names sorted ordinally).</param>
    /// <param name="baseEpoch">Epoch written once per id; positions in another epoch carry their own.</param>
    /// <param name="maxBatchBytes">Bound of one flush; the first event of a batch is always accepted.</param>
    /// <param name="maxUpdateBytes">Largest encoded update (<see cref="IUpdateEncoder.MaxUpdateLength"/>).</param>
    public SseEventSink(SymbolInfo[] symbols, long baseEpoch, int maxBatchBytes, int maxUpdateBytes)
    {
        _symbols = symbols;
        _baseEpoch = baseEpoch;
        _maxBatchBytes = maxBatchBytes;
        _setHash = SseEventId.HashSymbols(symbols);
        _indexById = new Dictionary<int, int>(symbols.Length);
        for (var i = 0; i < symbols.Length; i++)
        {
            _indexById[symbols[i].Id] = i;
        }

        _epochs = new long[symbols.Length];
        _seqs = new long[symbols.Length];
        _resumeEpochs = new long[symbols.Length];
        _resumeSeqs = new long[symbols.Length];
        _forcedResets = new ResetReason[symbols.Length];
        Array.Fill(_seqs, -1L);
        _update = new byte[maxUpdateBytes];
        _buffer = new SseBuffer(Math.Min(maxBatchBytes, 16 * 1024));
        _json = new Utf8JsonWriter(_buffer, JsonOptions);
    }

    public uint SetHash => _setHash;

    public SseBuffer Buffer => _buffer;

    /// <summary>Events with data (snapshot, reset, update, merged) appended so far.</summary>
    public long DataEvents { get; private set; }

    /// <summary>
    /// Records where a reconnecting client stands on symbol <paramref name="index"/>, so a reset the
    /// outbox sends for it can say why (epoch changed, history gone, or a position never issued).
    /// </summary>
    public void SetResumePosition(int index, long epoch, long seq)
    {
        _epochs[index] = epoch;
        _seqs[index] = seq;
        _resumeEpochs[index] = epoch;
        _resumeSeqs[index] = seq;
    }

    /// <summary>The next snapshot of symbol <paramref name="index"/> goes out as a reset with this reason (a Last-Event-ID that could not be used).</summary>
    public void ForceReset(int index, ResetReason reason) => _forcedResets[index] = reason;

    public bool TryAppendUpdate(ReadOnlySpan<byte> encodedUpdate)
    {
        // The outbox hands over the shared MessagePack bytes; decode them back (copy first: the span
        // is only valid during this call and the reader wants memory).
        encodedUpdate.CopyTo(_update);
        var reader = new ServerFrameReader(_update.AsMemory(0, encodedUpdate.Length));
        if (reader.Read(out var message, out var error) != ReadStatus.Message)
        {
            throw new InvalidOperationException($"Outbox produced an undecodable update: {error.Message}");
        }

        var mark = _buffer.Length;
        int index;
        long oldEpoch, oldSeq;
        if (message.Type == MessageType.Update)
        {
            var tick = message.Update;
            index = IndexOf(tick.SymbolId);
            (oldEpoch, oldSeq) = (_epochs[index], _seqs[index]);
            (_epochs[index], _seqs[index]) = (tick.Epoch, tick.Seq);
            BeginEvent("update"u8);
            WriteUpdate(_symbols[index], in tick);
        }
        else if (message.Type == MessageType.Merged)
        {
            var merged = message.Merged;
            index = IndexOf(merged.SymbolId);
            (oldEpoch, oldSeq) = (_epochs[index], _seqs[index]);
            (_epochs[index], _seqs[index]) = (merged.Epoch, merged.LastSeq);
            BeginEvent("merged"u8);
            WriteMerged(_symbols[index], in merged);
        }
        else
        {
            throw new InvalidOperationException($"Outbox produced a {message.Type} where an update was expected.");
        }

        if (!EndEvent(mark))
        {
            (_epochs[index], _seqs[index]) = (oldEpoch, oldSeq);
            return false;
        }

        DataEvents++;
        return true;
    }

    public bool TryAppendSnapshot(SymbolInfo symbol, in SymbolSnapshot snapshot, ResetCause reset, bool unsolicited)
    {
        var isReset = reset != ResetCause.None;
        var index = IndexOf(symbol.Id);
        ResetReason reason = 0;
        if (isReset)
        {
            // The outbox says "reset"; the reason depends on where the client said it stood.
            var knownEpoch = _resumeEpochs[index] != 0 ? _resumeEpochs[index] : _seqs[index] >= 0 ? _epochs[index] : 0;
            reason = knownEpoch != 0 && knownEpoch != snapshot.Epoch ? ResetReason.EpochChanged
                : _resumeEpochs[index] != 0 && _resumeSeqs[index] > snapshot.Seq ? ResetReason.UnknownPosition
                : ResetReason.HistoryUnavailable;
        }
        else if (_forcedResets[index] != 0)
        {
            reason = _forcedResets[index];
        }

        var mark = _buffer.Length;
        var (oldEpoch, oldSeq) = (_epochs[index], _seqs[index]);
        (_epochs[index], _seqs[index]) = (snapshot.Epoch, snapshot.Seq);
        BeginEvent(reason != 0 ? "reset"u8 : "snapshot"u8);
        WriteSnapshot(symbol, in snapshot, reason);
        if (!EndEvent(mark))
        {
            (_epochs[index], _seqs[index]) = (oldEpoch, oldSeq);
            return false;
        }

        _forcedResets[index] = 0;
        _resumeEpochs[index] = 0;
        _resumeSeqs[index] = 0;
        DataEvents++;
        return true;
    }

    public bool TryAppendNotice(in OutboxNotice notice)
    {
        var mark = _buffer.Length;
        _buffer.Write("event: notice\ndata: "u8);
        _json.Reset(_buffer);
        _json.WriteStartObject();
        var code = notice.Kind switch
        {
            OutboxNoticeKind.DegradedToConflated => NoticeCode.DegradedToConflated,
            OutboxNoticeKind.LagCatchUp => NoticeCode.MaxLagMerged,
            _ => NoticeCode.SlowConsumer,
        };
        _json.WriteNumber("code"u8, (int)code);
        _json.WriteString("name"u8, code.ToString());
        if (_indexById.TryGetValue(notice.SymbolId, out var index))
        {
            _json.WriteString("symbol"u8, _symbols[index].Name);
        }

        if (notice.Kind == OutboxNoticeKind.LagCatchUp)
        {
            _json.WriteNumber("epoch"u8, notice.Epoch);
            _json.WriteNumber("firstSeq"u8, notice.FirstSeq);
            _json.WriteNumber("lastSeq"u8, notice.LastSeq);
        }

        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n\n"u8);
        if (mark > 0 && _buffer.Length > _maxBatchBytes)
        {
            _buffer.Truncate(mark);
            return false;
        }

        return true;
    }

    /// <summary>Appends a <c>heartbeat</c> event (no id, so the client's Last-Event-ID stays that of the last data event).</summary>
    public void AppendHeartbeat(in OutboxFigures figures, long serverTimeNs)
    {
        _buffer.Write("event: heartbeat\ndata: "u8);
        _json.Reset(_buffer);
        _json.WriteStartObject();
        WriteNanos("serverTimeNs"u8, serverTimeNs);
        _json.WriteNumber("queuedBytes"u8, figures.QueuedBytes);
        _json.WriteNumber("queuedUpdates"u8, figures.QueuedUpdates);
        _json.WriteNumber("lagMs"u8, (long)figures.Lag.TotalMilliseconds);
        _json.WriteNumber("mergedCount"u8, figures.UpdatesConflated);
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n\n"u8);
    }

    /// <summary>Appends the opening <c>retry:</c> field and the <c>subscribed</c> event listing the stream's symbols.</summary>
    public void AppendSubscribed(int retryMs, string mode, int maxRateMs, bool resumed)
    {
        _buffer.Write("retry: "u8);
        Span<byte> digits = stackalloc byte[12];
        retryMs.TryFormat(digits, out var n, provider: System.Globalization.CultureInfo.InvariantCulture);
        _buffer.Write(digits[..n]);
        _buffer.Write("\n\nevent: subscribed\ndata: "u8);
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("mode"u8, mode);
        _json.WriteNumber("maxRateMs"u8, maxRateMs);
        _json.WriteBoolean("resumed"u8, resumed);
        _json.WriteStartArray("symbols"u8);
        foreach (var s in _symbols)
        {
            _json.WriteStartObject();
            _json.WriteString("name"u8, s.Name);
            _json.WriteNumber("priceScale"u8, s.PriceScale);
            _json.WriteNumber("sizeScale"u8, s.SizeScale);
            _json.WriteString("currency"u8, s.Currency);
            _json.WriteString("venue"u8, s.Venue);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n\n"u8);
    }

    public void Dispose()
    {
        _json.Dispose();
        _buffer.Dispose();
    }

    private int IndexOf(int symbolId) =>
        _indexById.TryGetValue(symbolId, out var index) ? index : throw new InvalidOperationException($"Symbol id {symbolId} is not part of this stream.");

    private void BeginEvent(ReadOnlySpan<byte> name)
    {
        // The id goes with the data: it is the position of every symbol after this event.
        _buffer.Write("id: "u8);
        SseEventId.Write(_buffer, _setHash, _baseEpoch, _epochs, _seqs);
        _buffer.Write("\nevent: "u8);
        _buffer.Write(name);
        _buffer.Write("\ndata: "u8);
        _json.Reset(_buffer);
    }

    private bool EndEvent(int mark)
    {
        _json.Flush();
        _buffer.Write("\n\n"u8);
        if (mark > 0 && _buffer.Length > _maxBatchBytes)
        {
            _buffer.Truncate(mark);
            return false;
        }

        return true;
    }

    private void WriteUpdate(SymbolInfo symbol, in Tick tick)
    {
        _json.WriteStartObject();
        _json.WriteString("symbol"u8, symbol.Name);
        _json.WriteNumber("epoch"u8, tick.Epoch);
        _json.WriteNumber("seq"u8, tick.Seq);
        if (tick.Kind == TickKind.Quote)
        {
            _json.WriteString("kind"u8, "quote"u8);
            WriteQuoteFields(symbol, tick.BidPrice, tick.BidSize, tick.AskPrice, tick.AskSize);
        }
        else
        {
            _json.WriteString("kind"u8, "trade"u8);
            WritePrice("price"u8, tick.Price, symbol.PriceScale);
            WritePrice("size"u8, tick.Size, symbol.SizeScale);
            _json.WriteString("side"u8, SideName(tick.Side));
            _json.WriteNumber("conditions"u8, tick.Conditions);
            _json.WriteStartObject("raw"u8);
            _json.WriteNumber("price"u8, tick.Price);
            _json.WriteNumber("size"u8, tick.Size);
            _json.WriteEndObject();
        }

        WriteNanos("exchangeTimeNs"u8, tick.ExchangeTimeNs);
        WriteNanos("receiveTimeNs"u8, tick.ReceiveTimeNs);
        WriteNanos("serverTimeNs"u8, tick.ServerTimeNs);
        _json.WriteEndObject();
    }

    private void WriteMerged(SymbolInfo symbol, in MergedUpdate m)
    {
        _json.WriteStartObject();
        _json.WriteString("symbol"u8, symbol.Name);
        _json.WriteNumber("epoch"u8, m.Epoch);
        _json.WriteNumber("firstSeq"u8, m.FirstSeq);
        _json.WriteNumber("lastSeq"u8, m.LastSeq);
        _json.WriteNumber("count"u8, m.Count);
        if (m.HasQuote)
        {
            _json.WriteStartObject("quote"u8);
            WriteQuoteFields(symbol, m.BidPrice, m.BidSize, m.AskPrice, m.AskSize);
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull("quote"u8);
        }

        if (m.TradeCount > 0)
        {
            _json.WriteStartObject("trade"u8);
            _json.WriteNumber("count"u8, m.TradeCount);
            WritePrice("price"u8, m.LastPrice, symbol.PriceScale);
            WritePrice("size"u8, m.LastSize, symbol.SizeScale);
            _json.WriteString("side"u8, SideName(m.LastSide));
            WritePrice("volume"u8, m.Volume, symbol.SizeScale);
            WritePrice("high"u8, m.High, symbol.PriceScale);
            WritePrice("low"u8, m.Low, symbol.PriceScale);
            _json.WriteStartObject("raw"u8);
            _json.WriteNumber("price"u8, m.LastPrice);
            _json.WriteNumber("size"u8, m.LastSize);
            _json.WriteNumber("volume"u8, m.Volume);
            _json.WriteNumber("high"u8, m.High);
            _json.WriteNumber("low"u8, m.Low);
            _json.WriteEndObject();
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull("trade"u8);
        }

        WriteNanos("exchangeTimeNs"u8, m.ExchangeTimeNs);
        WriteNanos("receiveTimeNs"u8, m.ReceiveTimeNs);
        WriteNanos("serverTimeNs"u8, m.ServerTimeNs);
        _json.WriteEndObject();
    }

    private void WriteSnapshot(SymbolInfo symbol, in SymbolSnapshot s, ResetReason reason)
    {
        _json.WriteStartObject();
        _json.WriteString("symbol"u8, symbol.Name);
        _json.WriteNumber("priceScale"u8, symbol.PriceScale);
        _json.WriteNumber("sizeScale"u8, symbol.SizeScale);
        if (reason != 0)
        {
            _json.WriteNumber("reason"u8, (int)reason);
            _json.WriteString("reasonName"u8, reason.ToString());
        }

        _json.WriteNumber("epoch"u8, s.Epoch);
        _json.WriteNumber("seq"u8, s.Seq);
        if (s.HasQuote)
        {
            _json.WriteStartObject("quote"u8);
            WriteQuoteFields(symbol, s.BidPrice, s.BidSize, s.AskPrice, s.AskSize);
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull("quote"u8);
        }

        if (s.HasTrade)
        {
            _json.WriteStartObject("trade"u8);
            WritePrice("price"u8, s.LastPrice, symbol.PriceScale);
            WritePrice("size"u8, s.LastSize, symbol.SizeScale);
            _json.WriteString("side"u8, SideName(s.LastSide));
            WritePrice("open"u8, s.Open, symbol.PriceScale);
            WritePrice("high"u8, s.High, symbol.PriceScale);
            WritePrice("low"u8, s.Low, symbol.PriceScale);
            WritePrice("volume"u8, s.Volume, symbol.SizeScale);
            _json.WriteNumber("count"u8, s.TradeCount);
            _json.WriteStartObject("raw"u8);
            _json.WriteNumber("price"u8, s.LastPrice);
            _json.WriteNumber("size"u8, s.LastSize);
            _json.WriteNumber("open"u8, s.Open);
            _json.WriteNumber("high"u8, s.High);
            _json.WriteNumber("low"u8, s.Low);
            _json.WriteNumber("volume"u8, s.Volume);
            _json.WriteEndObject();
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull("trade"u8);
        }

        WriteNanos("exchangeTimeNs"u8, s.ExchangeTimeNs);
        WriteNanos("serverTimeNs"u8, s.ServerTimeNs);
        _json.WriteEndObject();
    }

    private void WriteQuoteFields(SymbolInfo symbol, long bid, long bidSize, long ask, long askSize)
    {
        WritePrice("bid"u8, bid, symbol.PriceScale);
        WritePrice("bidSize"u8, bidSize, symbol.SizeScale);
        WritePrice("ask"u8, ask, symbol.PriceScale);
        WritePrice("askSize"u8, askSize, symbol.SizeScale);
        _json.WriteStartObject("raw"u8);
        _json.WriteNumber("bid"u8, bid);
        _json.WriteNumber("bidSize"u8, bidSize);
        _json.WriteNumber("ask"u8, ask);
        _json.WriteNumber("askSize"u8, askSize);
        _json.WriteEndObject();
    }

    private void WritePrice(ReadOnlySpan<byte> name, long mantissa, int scale)
    {
        Span<byte> text = stackalloc byte[FixedPoint.MaxFormattedLength];
        FixedPoint.TryFormat(mantissa, scale, text, out var n);
        _json.WriteString(name, text[..n]);
    }

    /// <summary>Nanosecond timestamps exceed 2^53, so they travel as decimal strings: JavaScript's JSON.parse would round a number.</summary>
    private void WriteNanos(ReadOnlySpan<byte> name, long value)
    {
        Span<byte> text = stackalloc byte[20];
        value.TryFormat(text, out var n, provider: System.Globalization.CultureInfo.InvariantCulture);
        _json.WriteString(name, text[..n]);
    }

    private static ReadOnlySpan<byte> SideName(TradeSide side) => side switch
    {
        TradeSide.Buy => "buy"u8,
        TradeSide.Sell => "sell"u8,
        _ => "unknown"u8,
    };
}
