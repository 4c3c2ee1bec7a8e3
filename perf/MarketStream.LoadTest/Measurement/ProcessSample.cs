namespace MarketStream.LoadTest.Measurement;

/// <summary>A process's CPU time and memory at one instant.</summary>
/// <param name="CpuSeconds">User + system CPU time so far.</param>
/// <param name="RssBytes">Resident set (VmRSS).</param>
/// <param name="Threads">Thread count.</param>
internal readonly record struct ProcessSample(double CpuSeconds, long RssBytes, int Threads);
