using MarketStream.Feeds.Configuration;

namespace MarketStream.Feeds.Tests;

public sealed class FeedsOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Assert.Empty(FeedsOptionsValidator.Validate(new FeedsOptions()));
        Assert.True(new FeedsOptionsValidator().Validate(null, new FeedsOptions()).Succeeded);
    }

    [Fact]
    public void Validate_EveryProblem_IsNamedWithItsKey()
    {
        var options = new FeedsOptions
        {
            UniversePath = "/nowhere/universe.csv",
            Synthetic = { Rate = double.NaN, SimulatedRate = 0, QuietFraction = -0.1, BurstProbability = 1.5, BatchSize = 0, MaxTicks = -1, StartDelay = TimeSpan.FromHours(2) },
            Replay = { Enabled = true, Path = null, Speed = -2, BatchSize = 100_000 },
            Ingest = { Enabled = true, MaxTicksPerMessage = 0, MaxMessageBytes = 10 },
            Supervisor = { StallTimeout = TimeSpan.Zero, RestartDelay = TimeSpan.FromSeconds(2), MaxRestartDelay = TimeSpan.FromSeconds(1), MaxConsecutiveRestarts = -1 },
        };

        var errors = string.Join("\n", FeedsOptionsValidator.Validate(options));

        foreach (var key in new[]
        {
            "MarketStream:Feeds:UniversePath '/nowhere/universe.csv' does not exist",
            "Synthetic:Rate", "Synthetic:SimulatedRate", "Synthetic:QuietFraction", "Synthetic:BurstProbability", "Synthetic:BatchSize", "Synthetic:MaxTicks", "Synthetic:StartDelay",
            "Replay:Path is required", "Replay:Speed", "Replay:BatchSize",
            "Ingest:MaxTicksPerMessage", "Ingest:MaxMessageBytes",
            "Supervisor:StallTimeout", "Supervisor:MonitorInterval", "Supervisor:MaxRestartDelay", "Supervisor:MaxConsecutiveRestarts",
        })
        {
            Assert.Contains(key, errors, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3_601)]
    public void Validate_StartDelayOutsideZeroToOneHour_IsNamed(int seconds)
    {
        var options = new FeedsOptions { Synthetic = { StartDelay = TimeSpan.FromSeconds(seconds) } };
        Assert.Contains("Synthetic:StartDelay must be between 0 and 01:00:00", Assert.Single(FeedsOptionsValidator.Validate(options)), StringComparison.Ordinal);
        options.Synthetic.StartDelay = TimeSpan.FromHours(1);
        Assert.Empty(FeedsOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_NothingEnabled_Fails()
    {
        var options = new FeedsOptions { Synthetic = { Enabled = false } };
        var error = Assert.Single(FeedsOptionsValidator.Validate(options));
        Assert.Contains("No feed is enabled", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReplayFileWithUnknownExtension_Fails()
    {
        var path = Path.GetTempFileName();
        try
        {
            var options = new FeedsOptions { Replay = { Enabled = true, Path = path } };
            Assert.Contains("cannot be inferred", Assert.Single(FeedsOptionsValidator.Validate(options)), StringComparison.Ordinal);
            options.Replay.Format = Replay.TickFileFormat.Csv;
            Assert.Empty(FeedsOptionsValidator.Validate(options));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
