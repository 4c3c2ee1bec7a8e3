using MarketStream.Model;


namespace MarketStream.Protocol;

/// <summary>
/// Structural limits a reader enforces before it decodes any field (docs/protocol.md §7). Stricter than
/// <c>MessagePackSecurity.UntrustedData</c>: besides the depth limit, every collection and string length is
/// checked against both its limit and the bytes actually remaining, so a hostile header that claims
/// 2^31 elements is rejected without allocating.
/// </summary>
public sealed class DecoderLimits
{
    /// <summary>Upper bound of <see cref="MaxDepth"/>; the validator keeps its stack on the stack.</summary>
    public const int MaxSupportedDepth = 16;

    private readonly int _maxDepth = 3;

    /// <summary>Limits the server applies to client input. Defaults: 64 KiB message, 4096 elements, 4096-byte strings.</summary>
    public static DecoderLimits ClientInput { get; } = new();

    /// <summary>Limits clients apply to server frames: 16 MiB frames, 1,048,576 elements (a large SubscribeAck), 64 KiB strings, depth 5.</summary>
    public static DecoderLimits ServerInput { get; } = new()
    {
        MaxMessageBytes = 16 * 1024 * 1024,
        MaxCollectionLength = 1024 * 1024,
        MaxStringBytes = 64 * 1024,
        MaxDepth = 5,
    };

    /// <summary>Largest accepted message in bytes. Defaults to 64 KiB; must be ≥ 16.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>Largest accepted array length (a map counts twice its pair count). Defaults to 4096.</summary>
    public int MaxCollectionLength { get; init; } = 4096;

    /// <summary>Longest accepted string or binary in bytes. Defaults to 4096 (a JWT fits).</summary>
    public int MaxStringBytes { get; init; } = 4096;

    /// <summary>
    /// Deepest array nesting, 1–16. Defaults to 3, all any client message needs (Subscribe → resume
    /// list → position); server frames need 5 (Batch → element list → SubscribeAck → definition list → definition).
    /// </summary>
    public int MaxDepth
    {
        get => _maxDepth;
        init => _maxDepth = value is >= 1 and <= MaxSupportedDepth
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"MaxDepth must be 1–{MaxSupportedDepth}.");
    }

    /// <summary>Caps on channel requests (book depth, history, bar intervals). Defaults to <see cref="ChannelLimits.Default"/>.</summary>
    public ChannelLimits Channels { get; init; } = ChannelLimits.Default;

    /// <summary>Longest symbol name or pattern, in bytes (<see cref="SymbolInfo.MaxNameLength"/>).</summary>
    public static int MaxSymbolLength => SymbolInfo.MaxNameLength;
}
