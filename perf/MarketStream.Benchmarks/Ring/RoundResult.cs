namespace MarketStream.Benchmarks.Ring;

/// <summary>One timed run of one side (ring or channel) of a scenario.</summary>
internal readonly record struct RoundResult(double EventsPerSecond, double AverageBatch, double AllocatedBytesPerEvent);
