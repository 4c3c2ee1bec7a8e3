using System.Globalization;

namespace MarketStream.Client.Cli;

/// <summary>
/// Parsed command line: positional words and <c>--name value</c> options (flags take no value). Small on
/// purpose: four commands do not need a parser package, and errors name the option at fault.
/// </summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private CliArguments()
    {
    }

    public List<string> Positional { get; } = [];

    /// <summary>Parses <paramref name="args"/>; <paramref name="flags"/> are options without a value.</summary>
    public static CliArguments Parse(IReadOnlyList<string> args, params string[] flags)
    {
        var result = new CliArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                result.Positional.Add(arg);
                continue;
            }

            var name = arg[2..];
            if (flags.Contains(name))
            {
                result._options[name] = "true";
            }
            else if (i + 1 < args.Count)
            {
                result._options[name] = args[++i];
            }
            else
            {
                throw new CliUsageException($"option --{name} needs a value");
            }
        }

        return result;
    }

    public string? String(string name)
    {
        _used.Add(name);
        return _options.GetValueOrDefault(name);
    }

    public bool Flag(string name) => String(name) is not null;

    public int Int(string name, int defaultValue, int min, int max)
    {
        var text = String(name);
        if (text is null)
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new CliUsageException($"--{name} must be an integer from {min} to {max}; got '{text}'");
    }

    public double Seconds(string name, double defaultValue)
    {
        var text = String(name);
        if (text is null)
        {
            return defaultValue;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 31_536_000
            ? value
            : throw new CliUsageException($"--{name} must be a number of seconds (0 = until Ctrl+C); got '{text}'");
    }

    /// <summary>Fails on options no command read: a typo should not be silently ignored.</summary>
    public void RejectUnknown()
    {
        foreach (var name in _options.Keys)
        {
            if (!_used.Contains(name))
            {
                throw new CliUsageException($"unknown option --{name}");
            }
        }
    }
}
