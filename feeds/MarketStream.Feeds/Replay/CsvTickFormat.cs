namespace MarketStream.Feeds.Replay;

/// <summary>Constants of the CSV tick format (docs/feeds.md §CSV ticks).</summary>
internal static class CsvTickFormat
{
    public const string Header = "exchange_time_ns,symbol,kind,bid_price,bid_size,ask_price,ask_size,price,size,side,conditions";

    public const int FieldCount = 11;

    /// <summary>Longest accepted line in bytes; a longer one is an error, so memory stays bounded.</summary>
    public const int MaxLineLength = 1024;

    public const string Extension = ".csv";

    public static ReadOnlySpan<byte> HeaderUtf8 => "exchange_time_ns,symbol,kind,bid_price,bid_size,ask_price,ask_size,price,size,side,conditions"u8;
}
