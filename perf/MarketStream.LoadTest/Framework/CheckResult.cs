namespace MarketStream.LoadTest.Framework;

/// <summary>A behavioural assertion a scenario makes (e.g. stalled clients got every symbol's latest value); a failed check fails the run.</summary>
internal sealed record CheckResult(string Name, bool Passed, string Detail);
