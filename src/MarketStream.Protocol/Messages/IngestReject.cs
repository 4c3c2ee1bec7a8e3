using MarketStream.Model;

namespace MarketStream.Protocol;

/// <summary><c>[index, code]</c>: one refused tick of an IngestTicks message (docs/protocol.md §4.20).</summary>
/// <param name="Index">0-based position of the tick in the IngestTicks message.</param>
/// <param name="Code">Why it was refused (§5.1).</param>
public readonly record struct IngestReject(int Index, IngestRejectCode Code);
