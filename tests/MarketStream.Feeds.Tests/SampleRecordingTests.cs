using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Replay;
using MarketStream.Feeds.Synthetic;
using MarketStream.Model;

namespace MarketStream.Feeds.Tests;

/// <summary>
/// feeds/data/sample.mstk and sample.csv are made by the project's own recorder from the seeded
/// synthetic feed. These tests regenerate them and compare byte for byte; with
/// MARKETSTREAM_REGENERATE_SAMPLES=1 they rewrite the files instead (docs/feeds.md §Sample recording).
/// </summary>
public sealed class SampleRecordingTests
{
    public const int Seed = 20240102;
    public const int Ticks = 3_000;

    /// <summary>About 6 s of simulated market: replaying the sample at 1× is a short live demo.</summary>
    public const double SimulatedRate = 500;

    [Theory]
    [InlineData("sample.mstk", TickFileFormat.Binary)]
    [InlineData("sample.csv", TickFileFormat.Csv)]
    public void Sample_RegeneratedFromSeed_MatchesCommittedFile(string file, TickFileFormat format)
    {
        var bytes = Generate(format, out _);
        var path = Path.Combine(TestData.DataDir, file);
        if (Environment.GetEnvironmentVariable("MARKETSTREAM_REGENERATE_SAMPLES") == "1")
        {
            File.WriteAllBytes(path, bytes);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run with MARKETSTREAM_REGENERATE_SAMPLES=1");
        Assert.Equal(File.ReadAllBytes(path), bytes);
    }

    [Fact]
    public void Sample_BothFormats_ReplayToTheRecordedTicks()
    {
        Generate(TickFileFormat.Binary, out var live);
        foreach (var file in new[] { "sample.mstk", "sample.csv" })
        {
            var replay = new ReplayFeed("replay", TestData.Universe, new ReplayFeedOptions { Path = Path.Combine(TestData.DataDir, file), Speed = 0 });
            var replayed = TestData.RunToCompletion([replay]);
            TestData.AssertSameTicks(live, replayed);
        }
    }

    private static byte[] Generate(TickFileFormat format, out List<Tick> live)
    {
        var stream = new MemoryStream();
        var writer = format == TickFileFormat.Csv
            ? (ITickWriter)new CsvTickWriter(stream, TestData.Universe, leaveOpen: true)
            : new BinaryTickWriter(stream, TestData.Universe, leaveOpen: true);
        var options = TestData.Synthetic(Seed, Ticks);
        options.SimulatedRate = SimulatedRate;
        var feed = new SyntheticFeed("synthetic", TestData.Universe, options);
        live = TestData.RunToCompletion([feed], extraStages: new TickRecorder(writer));
        writer.Dispose();
        return stream.ToArray();
    }
}
