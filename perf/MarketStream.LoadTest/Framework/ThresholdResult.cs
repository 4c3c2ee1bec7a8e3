namespace MarketStream.LoadTest.Framework;

/// <summary>One threshold checked against a run.</summary>
internal sealed record ThresholdResult(string Threshold, double Actual, bool Passed, string Detail);
