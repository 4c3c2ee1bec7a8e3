using System.Globalization;

namespace MarketStream.LoadTest.Measurement;

/// <summary>
/// Reads a Linux process's CPU time and resident memory from <c>/proc/&lt;pid&gt;/stat</c> and
/// <c>/proc/&lt;pid&gt;/status</c>: no agent in the measured process, so its figures are its own.
/// </summary>
internal sealed class ProcessSampler(int pid)
{
    // USER_HZ: 100 on every Linux ABI .NET runs on (sysconf(_SC_CLK_TCK)).
    private const double ClockTicksPerSecond = 100;

    public int Pid { get; } = pid;

    public bool TrySample(out ProcessSample sample)
    {
        sample = default;
        try
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");

            // Fields after the parenthesised command name (which may contain spaces): state is field 3.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            var threads = int.Parse(fields[17], CultureInfo.InvariantCulture);
            long rssKb = 0;
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rssKb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                    break;
                }
            }

            sample = new ProcessSample((utime + stime) / ClockTicksPerSecond, rssKb * 1024, threads);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return false;
        }
    }
}
