using Microsoft.Extensions.Options;

namespace MarketStream.Feeds.Configuration;

/// <summary>
/// Start-up validation of <see cref="FeedsOptions"/>: every problem is reported at once, with the
/// configuration key it concerns. Register it as <c>IValidateOptions&lt;FeedsOptions&gt;</c> with
/// <c>ValidateOnStart()</c>, or call <see cref="Validate(FeedsOptions)"/>.
/// </summary>
public sealed class FeedsOptionsValidator : IValidateOptions<FeedsOptions>
{
    private const string Prefix = FeedsOptions.SectionName + ":";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FeedsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem with <paramref name="options"/>; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(FeedsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Synthetic is null || options.Replay is null || options.Ingest is null || options.Supervisor is null || options.Validation is null)
        {
            errors.Add($"{Prefix}Synthetic, Replay, Ingest, Supervisor and Validation must not be null.");
            return errors;
        }

        if (!options.Synthetic.Enabled && !options.Replay.Enabled && !options.Ingest.Enabled)
        {
            errors.Add($"No feed is enabled: set {Prefix}Synthetic:Enabled, {Prefix}Replay:Enabled or {Prefix}Ingest:Enabled to true.");
        }

        if (options.UniversePath is { } universe && !File.Exists(universe))
        {
            errors.Add($"{Prefix}UniversePath '{universe}' does not exist.");
        }

        var s = options.Synthetic;
        if (s.Enabled)
        {
            if (!(s.Rate >= 0 && s.Rate <= SyntheticFeedOptions.MaxRate))
            {
                errors.Add($"{Prefix}Synthetic:Rate must be between 0 (unpaced) and {SyntheticFeedOptions.MaxRate:N0} ticks/s; it is {s.Rate}.");
            }

            if (s.SimulatedRate is { } simulated && !(simulated > 0 && simulated <= SyntheticFeedOptions.MaxRate))
            {
                errors.Add($"{Prefix}Synthetic:SimulatedRate must be positive and at most {SyntheticFeedOptions.MaxRate:N0} when set; it is {simulated}.");
            }

            CheckFraction(errors, "Synthetic:TradeRatio", s.TradeRatio);
            CheckFraction(errors, "Synthetic:QuietFraction", s.QuietFraction);
            CheckFraction(errors, "Synthetic:BurstProbability", s.BurstProbability);
            CheckBatch(errors, "Synthetic:BatchSize", s.BatchSize);
            if (s.MaxTicks < 0)
            {
                errors.Add($"{Prefix}Synthetic:MaxTicks must not be negative (0 means no limit); it is {s.MaxTicks}.");
            }

            if (s.StartDelay < TimeSpan.Zero || s.StartDelay > SyntheticFeedOptions.MaxStartDelay)
            {
                errors.Add($"{Prefix}Synthetic:StartDelay must be between 0 and {SyntheticFeedOptions.MaxStartDelay:c}; it is {s.StartDelay:c}.");
            }

            if (s.Symbols is null)
            {
                errors.Add($"{Prefix}Synthetic:Symbols must not be null (leave it empty for the whole universe).");
            }
        }

        var r = options.Replay;
        if (r.Enabled)
        {
            if (string.IsNullOrWhiteSpace(r.Path))
            {
                errors.Add($"{Prefix}Replay:Path is required when the replay feed is enabled.");
            }
            else if (!File.Exists(r.Path))
            {
                errors.Add($"{Prefix}Replay:Path '{r.Path}' does not exist.");
            }
            else if (r.Format == Replay.TickFileFormat.Auto && Replay.TickFiles.FormatOf(r.Path) == Replay.TickFileFormat.Auto)
            {
                errors.Add($"{Prefix}Replay:Format cannot be inferred from '{r.Path}': use a .csv or .mstk extension or set Format to Csv or Binary.");
            }

            if (!(r.Speed >= 0 && r.Speed <= ReplayFeedOptions.MaxSpeed))
            {
                errors.Add($"{Prefix}Replay:Speed must be between 0 (as fast as possible) and {ReplayFeedOptions.MaxSpeed:N0}; it is {r.Speed}.");
            }

            if (!Enum.IsDefined(r.Format))
            {
                errors.Add($"{Prefix}Replay:Format '{r.Format}' is not Auto, Csv or Binary.");
            }

            CheckBatch(errors, "Replay:BatchSize", r.BatchSize);
        }

        var i = options.Ingest;
        if (i.Enabled)
        {
            if (i.MaxTicksPerMessage is < 1 or > 65_536)
            {
                errors.Add($"{Prefix}Ingest:MaxTicksPerMessage must be between 1 and 65,536; it is {i.MaxTicksPerMessage}.");
            }

            if (i.MaxMessageBytes is < 1_024 or > 64 << 20)
            {
                errors.Add($"{Prefix}Ingest:MaxMessageBytes must be between 1,024 and 67,108,864; it is {i.MaxMessageBytes}.");
            }

            if (i.MaxTicksPerSecond is < 0 or > 100_000_000)
            {
                errors.Add($"{Prefix}Ingest:MaxTicksPerSecond must be between 0 (unlimited) and 100,000,000; it is {i.MaxTicksPerSecond}.");
            }
        }

        errors.AddRange(ValidateSupervisor(options.Supervisor));
        return errors;
    }

    internal static List<string> ValidateSupervisor(FeedSupervisorOptions o)
    {
        var errors = new List<string>();
        if (o.StallTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Prefix}Supervisor:StallTimeout must be positive; it is {o.StallTimeout}.");
        }

        if (o.MonitorInterval <= TimeSpan.Zero || o.MonitorInterval > o.StallTimeout)
        {
            errors.Add($"{Prefix}Supervisor:MonitorInterval must be positive and at most StallTimeout ({o.StallTimeout}); it is {o.MonitorInterval}.");
        }

        if (o.RestartDelay < TimeSpan.Zero)
        {
            errors.Add($"{Prefix}Supervisor:RestartDelay must not be negative; it is {o.RestartDelay}.");
        }

        if (o.MaxRestartDelay < o.RestartDelay)
        {
            errors.Add($"{Prefix}Supervisor:MaxRestartDelay ({o.MaxRestartDelay}) must be at least RestartDelay ({o.RestartDelay}).");
        }

        if (o.MaxConsecutiveRestarts < 0)
        {
            errors.Add($"{Prefix}Supervisor:MaxConsecutiveRestarts must not be negative; it is {o.MaxConsecutiveRestarts}.");
        }

        return errors;
    }

    private static void CheckFraction(List<string> errors, string key, double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            errors.Add($"{Prefix}{key} must be between 0 and 1; it is {value}.");
        }
    }

    private static void CheckBatch(List<string> errors, string key, int value)
    {
        if (value is < 1 or > 65_536)
        {
            errors.Add($"{Prefix}{key} must be between 1 and 65,536; it is {value}.");
        }
    }
}
