using MessagePack;

namespace MarketStream.Benchmarks.Protocol;

/// <summary>The same content as a wire Update, as a conventional attributed class (comparison only).</summary>
[MessagePackObject]
public sealed class UpdateDto
{
    [Key(0)] public int SymbolId { get; set; }
    [Key(1)] public long Epoch { get; set; }
    [Key(2)] public long Seq { get; set; }
    [Key(3)] public byte Kind { get; set; }
    [Key(4)] public long A { get; set; }
    [Key(5)] public long B { get; set; }
    [Key(6)] public long C { get; set; }
    [Key(7)] public long D { get; set; }
    [Key(8)] public long ExchangeTimeNs { get; set; }
    [Key(9)] public long ReceiveTimeNs { get; set; }
    [Key(10)] public long ServerTimeNs { get; set; }
}
