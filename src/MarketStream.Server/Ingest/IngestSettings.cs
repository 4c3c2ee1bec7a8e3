namespace MarketStream.Server.Ingest;

/// <summary>
/// What one ingest connection needs from the options of several sections, read once per
/// connection: <c>MarketStream:Feeds:Ingest</c>
/// (message, tick and rate limits), <c>MarketStream:Auth</c> (the Authenticate deadline) and <c>MarketStream:Gateway</c> (frame size).
/// </summary>
internal sealed record IngestSettings(int MaxMessageBytes, int MaxTicksPerMessage, int MaxTicksPerSecond, TimeSpan AuthenticateTimeout, int MaxFrameBytes);
