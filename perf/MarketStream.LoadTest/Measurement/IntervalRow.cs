namespace MarketStream.LoadTest.Measurement;

/// <summary>One second (or one soak interval) of a run: the live-progress line and a row of the report's time series.</summary>
/// <param name="T">Seconds since the measured window began.</param>
/// <param name="Phase">Scenario phase (e.g. <c>baseline</c>, <c>stall</c>, <c>recovery</c>).</param>
/// <param name="Clients">Connected clients.</param>
/// <param name="UpdatesPerSec">Update and Merged messages delivered per second, all clients.</param>
/// <param name="FramesPerSec">WebSocket messages per second.</param>
/// <param name="BytesPerSec">Payload bytes per second.</param>
/// <param name="MergedRatio">Share of the interval's ticks that arrived folded into Merged messages.</param>
/// <param name="P50Ms">Tick-to-client latency median, ms.</param>
/// <param name="P99Ms">Tick-to-client latency p99, ms.</param>
/// <param name="MaxMs">Tick-to-client latency max, ms.</param>
/// <param name="ServerCpuPct">Server process CPU, % of one core (NaN when not sampled).</param>
/// <param name="ServerRssMb">Server resident memory, MiB (0 when not sampled).</param>
/// <param name="LoadGenCpuPct">The load tool's own CPU, % of one core.</param>
internal sealed record IntervalRow(
    double T,
    string Phase,
    int Clients,
    double UpdatesPerSec,
    double FramesPerSec,
    double BytesPerSec,
    double MergedRatio,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    double ServerCpuPct,
    double ServerRssMb,
    double LoadGenCpuPct);
