using MessagePack;

namespace MarketStream.Benchmarks.Protocol;

/// <summary>A frame of updates as a conventional attributed class (comparison only).</summary>
[MessagePackObject]
public sealed class BatchDto
{
    [Key(0)] public int Type { get; set; } = 24;
    [Key(1)] public UpdateDto[] Updates { get; set; } = [];
}
