using System.Globalization;
using System.Text.Json;
using MarketStream.Model;

namespace MarketStream.Client.Cli;

/// <summary>Writes market events as CSV rows or JSON lines; prices and sizes as exact decimal text (docs/protocol.md §2.3).</summary>
internal sealed class EventLineWriter(TextWriter output, bool json)
{
    public const string CsvHeader = "kind,symbol,epoch,seq,first_seq,count,bid,bid_size,ask,ask_size,last,last_size,volume,exchange_time_ns,receive_time_ns,server_time_ns";

    private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(512);

    public void WriteHeader()
    {
        if (!json)
        {
            output.WriteLine(CsvHeader);
        }
    }

    /// <summary>Writes market-data events (Snapshot, Update, Merged, Reset, Gap); JSON also gets session events. False if nothing was written.</summary>
    public bool Write(in MarketEvent e)
    {
        if (json)
        {
            WriteJson(e);
            return true;
        }

        if (e.Symbol is not { } symbol)
        {
            return false;
        }

        var s = e.State;
        var hasState = e.Kind != MarketEventKind.Gap;
        output.WriteLine(string.Join(
            ',',
            Name(e.Kind),
            symbol.Name,
            Int(e.Epoch),
            Int(e.Seq),
            Int(e.FirstSeq),
            Int(e.Count),
            hasState && s.HasQuote ? FixedPoint.Format(s.BidPrice, symbol.PriceScale) : "",
            hasState && s.HasQuote ? FixedPoint.Format(s.BidSize, symbol.SizeScale) : "",
            hasState && s.HasQuote ? FixedPoint.Format(s.AskPrice, symbol.PriceScale) : "",
            hasState && s.HasQuote ? FixedPoint.Format(s.AskSize, symbol.SizeScale) : "",
            hasState && s.HasTrade ? FixedPoint.Format(s.LastPrice, symbol.PriceScale) : "",
            hasState && s.HasTrade ? FixedPoint.Format(s.LastSize, symbol.SizeScale) : "",
            hasState && s.HasTrade ? FixedPoint.Format(s.Volume, symbol.SizeScale) : "",
            Int(s.ExchangeTimeNs),
            Int(ReceiveTimeNs(e)),
            Int(s.ServerTimeNs)));
        return true;
    }

    public static string Name(MarketEventKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Feed receive time of an update or merge (snapshots do not carry it: 0).</summary>
    public static long ReceiveTimeNs(in MarketEvent e) => e.Kind switch
    {
        MarketEventKind.Update => e.Update.ReceiveTimeNs,
        MarketEventKind.Merged => e.Merged.ReceiveTimeNs,
        _ => 0,
    };

    private void WriteJson(in MarketEvent e)
    {
        _buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(_buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", Name(e.Kind));
            if (e.Symbol is { } symbol)
            {
                w.WriteString("symbol", symbol.Name);
                w.WriteNumber("epoch", e.Epoch);
                w.WriteNumber("seq", e.Seq);
                w.WriteNumber("firstSeq", e.FirstSeq);
                w.WriteNumber("count", e.Count);
                if (e.Kind == MarketEventKind.Reset)
                {
                    w.WriteNumber("reason", (int)e.ResetReason);
                }

                if (e.Kind != MarketEventKind.Gap)
                {
                    WriteState(w, symbol, e.State);
                    w.WriteNumber("receiveTimeNs", ReceiveTimeNs(e));
                }
            }
            else
            {
                WriteSession(w, e);
            }

            w.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(_buffer.WrittenSpan));
    }

    private static void WriteState(Utf8JsonWriter w, SymbolInfo symbol, in SymbolSnapshot s)
    {
        if (s.HasQuote)
        {
            w.WriteString("bid", FixedPoint.Format(s.BidPrice, symbol.PriceScale));
            w.WriteString("bidSize", FixedPoint.Format(s.BidSize, symbol.SizeScale));
            w.WriteString("ask", FixedPoint.Format(s.AskPrice, symbol.PriceScale));
            w.WriteString("askSize", FixedPoint.Format(s.AskSize, symbol.SizeScale));
        }

        if (s.HasTrade)
        {
            w.WriteString("last", FixedPoint.Format(s.LastPrice, symbol.PriceScale));
            w.WriteString("lastSize", FixedPoint.Format(s.LastSize, symbol.SizeScale));
            w.WriteString("volume", FixedPoint.Format(s.Volume, symbol.SizeScale));
        }

        w.WriteNumber("exchangeTimeNs", s.ExchangeTimeNs);
        w.WriteNumber("serverTimeNs", s.ServerTimeNs);
    }

    private static void WriteSession(Utf8JsonWriter w, in MarketEvent e)
    {
        switch (e.Kind)
        {
            case MarketEventKind.Connected:
                w.WriteString("sessionId", e.Connection!.SessionId);
                w.WriteNumber("reconnects", e.Connection.Reconnects);
                break;
            case MarketEventKind.Disconnected:
                if (e.Disconnect!.CloseStatus is { } code)
                {
                    w.WriteNumber("closeStatus", code);
                }

                w.WriteString("description", e.Disconnect.Description);
                w.WriteBoolean("willReconnect", e.Disconnect.WillReconnect);
                break;
            case MarketEventKind.Heartbeat:
                w.WriteNumber("lagMs", e.Heartbeat!.LagMs);
                w.WriteNumber("queuedUpdates", e.Heartbeat.QueuedUpdates);
                w.WriteNumber("queuedBytes", e.Heartbeat.QueuedBytes);
                w.WriteNumber("mergedCount", e.Heartbeat.MergedCount);
                break;
            case MarketEventKind.Notice:
                w.WriteNumber("code", (int)e.Notice!.Code);
                w.WriteNumber("subscriptionId", e.Notice.SubscriptionId);
                w.WriteNumber("value", e.Notice.Value);
                w.WriteString("text", e.Notice.Text);
                break;
            case MarketEventKind.Error:
                w.WriteNumber("code", (int)e.Error!.Code);
                w.WriteNumber("requestId", e.Error.RequestId);
                w.WriteString("text", e.Error.Text);
                break;
        }
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
