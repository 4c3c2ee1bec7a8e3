using Microsoft.Extensions.Options;

namespace MarketStream.Server.Hosting;

/// <summary>Checks <see cref="EngineHostOptions"/> at start-up with clear messages.</summary>
internal sealed class EngineHostOptionsValidator : IValidateOptions<EngineHostOptions>
{
    public ValidateOptionsResult Validate(string? name, EngineHostOptions options)
    {
        var errors = new List<string>();
        if (options.RingSize is < 1024 or > 1 << 22 || !int.IsPow2(options.RingSize))
        {
            errors.Add($"{EngineHostOptions.SectionName}:RingSize is {options.RingSize}; it must be a power of two between 1024 and 4194304.");
        }

        if (options.HistoryDepth is < 16 or > 1 << 16 || !int.IsPow2(options.HistoryDepth))
        {
            errors.Add($"{EngineHostOptions.SectionName}:HistoryDepth is {options.HistoryDepth}; it must be a power of two between 16 and 65536.");
        }

        if (!Enum.IsDefined(options.WaitStrategy))
        {
            errors.Add($"{EngineHostOptions.SectionName}:WaitStrategy must be one of Blocking, Yielding, Sleeping, BusySpin.");
        }

        if (options.StartEpoch < 0)
        {
            errors.Add($"{EngineHostOptions.SectionName}:StartEpoch must not be negative.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
