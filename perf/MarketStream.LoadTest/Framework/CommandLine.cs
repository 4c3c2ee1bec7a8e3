using System.Globalization;

namespace MarketStream.LoadTest.Framework;

/// <summary>
/// <c>&lt;scenario&gt; --name value …</c>. Every option must be declared by the scenario or be one of
/// the common ones; an unknown option or a bad value is a usage error (exit code 2), never ignored.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private CommandLine(string scenario, string raw)
    {
        Scenario = scenario;
        Raw = raw;
    }

    public string Scenario { get; }

    /// <summary>The command as typed, for the report.</summary>
    public string Raw { get; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new FormatException("the first argument names the scenario");
        }

        var line = new CommandLine(args[0], string.Join(' ', args));
        for (var i = 1; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length < 3)
            {
                throw new FormatException($"expected an option, got '{a}'");
            }

            string name, value;
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = a[2..eq];
                value = a[(eq + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                name = a[2..];
                value = args[++i];
            }
            else
            {
                name = a[2..];
                value = "true";
            }

            if (!line._values.TryGetValue(name, out var list))
            {
                line._values[name] = list = [];
            }

            list.Add(value);
        }

        return line;
    }

    public string? String(string name)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var v) ? v[^1] : null;
    }

    public string String(string name, string fallback) => String(name) ?? fallback;

    public IReadOnlyList<string> All(string name)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var v) ? v : [];
    }

    public int Int(string name, int fallback, int min, int max) => Number(name, fallback, min, max, NumberStyles.Integer, "an integer");

    public double Double(string name, double fallback, double min, double max) => Number(name, fallback, min, max, NumberStyles.Float, "a number");

    public TimeSpan Seconds(string name, double fallback, double min, double max) => TimeSpan.FromSeconds(Double(name, fallback, min, max));

    public bool Flag(string name) => String(name) is { } v && v != "false";

    private T Number<T>(string name, T fallback, T min, T max, NumberStyles style, string what)
        where T : struct, System.Numerics.INumber<T>
    {
        var v = String(name);
        if (v is null)
        {
            return fallback;
        }

        if (!T.TryParse(v, style, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new FormatException($"--{name} must be {what} from {min} to {max}, got '{v}'");
        }

        return n;
    }

    /// <summary>Throws for options nobody read (typos must not silently change a measurement).</summary>
    public void EnsureAllRead()
    {
        foreach (var name in _values.Keys)
        {
            if (!_read.Contains(name))
            {
                throw new FormatException($"unknown option --{name} for scenario '{Scenario}' (run with --help)");
            }
        }
    }
}
