using Microsoft.Extensions.Options;

namespace MarketStream.Server.Auth;

/// <summary>Checks <see cref="AuthOptions"/> at start-up so a bad setting fails fast with a clear message.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        if (options.SigningKey.Length > 0)
        {
            var key = TryDecodeKey(options.SigningKey);
            if (key is null)
            {
                errors.Add($"{AuthOptions.SectionName}:SigningKey is not valid base64.");
            }
            else if (key.Length < AuthOptions.MinSigningKeyBytes)
            {
                errors.Add($"{AuthOptions.SectionName}:SigningKey decodes to {key.Length} bytes; HS256 needs at least {AuthOptions.MinSigningKeyBytes}.");
            }
        }
        else if (options.Mode == AuthMode.Required)
        {
            errors.Add($"{AuthOptions.SectionName}:SigningKey is required when Mode is Required (base64, at least {AuthOptions.MinSigningKeyBytes} bytes).");
        }

        if (options.Mode == AuthMode.Required && options.DevTokenEndpoint == true)
        {
            errors.Add($"{AuthOptions.SectionName}:DevTokenEndpoint is true, but Mode is Required: it would mint tokens for anyone (leave it unset or false).");
        }

        if (string.IsNullOrWhiteSpace(options.Issuer) || string.IsNullOrWhiteSpace(options.Audience))
        {
            errors.Add($"{AuthOptions.SectionName}:Issuer and Audience must not be empty.");
        }

        CheckRange(errors, nameof(options.AuthenticateTimeout), options.AuthenticateTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60));
        CheckRange(errors, nameof(options.DevTokenLifetime), options.DevTokenLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        CheckRange(errors, nameof(options.ClockSkew), options.ClockSkew, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static byte[]? TryDecodeKey(string base64)
    {
        var buffer = new byte[(base64.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? buffer.AsSpan(0, written).ToArray() : null;
    }

    private static void CheckRange(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{AuthOptions.SectionName}:{name} is {value}; it must be between {min} and {max}.");
        }
    }
}
