using MarketStream.Journal;
using Microsoft.Extensions.Options;

namespace MarketStream.Server.Hosting;

/// <summary>Checks <see cref="JournalOptions"/> at start-up with a message naming the key.</summary>
internal sealed class JournalOptionsValidator : IValidateOptions<JournalOptions>
{
    public ValidateOptionsResult Validate(string? name, JournalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
