using Microsoft.Extensions.Options;

namespace MarketStream.Server.Sse;

/// <summary>Checks <see cref="SseOptions"/> at start-up so a bad setting fails fast with a clear message.</summary>
internal sealed class SseOptionsValidator : IValidateOptions<SseOptions>
{
    public ValidateOptionsResult Validate(string? name, SseOptions o)
    {
        var errors = new List<string>();
        if (o.MaxSymbols is < 1 or > 5_000)
        {
            errors.Add($"{SseOptions.SectionName}:MaxSymbols is {o.MaxSymbols}; it must be between 1 and 5000.");
        }

        if (o.HeartbeatInterval < TimeSpan.FromMilliseconds(100) || o.HeartbeatInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{SseOptions.SectionName}:HeartbeatInterval is {o.HeartbeatInterval}; it must be between 00:00:00.1 and 00:05:00.");
        }

        if (o.RetryInterval < TimeSpan.Zero || o.RetryInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{SseOptions.SectionName}:RetryInterval is {o.RetryInterval}; it must be between 00:00:00 and 00:05:00.");
        }

        if (o.MaxBatchBytes is < 4 * 1024 or > 4 * 1024 * 1024)
        {
            errors.Add($"{SseOptions.SectionName}:MaxBatchBytes is {o.MaxBatchBytes}; it must be between 4096 and 4194304.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
