using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MarketStream.LoadTest.Measurement;

/// <summary>
/// Kernel memory held by the server's TCP sockets, which RSS does not include: the send and receive queues
/// of every established socket on the server's port, read with <c>ss -tmn</c> (iproute2). Per socket it
/// counts <c>skmem</c> <c>r</c> (receive queue) + <c>w</c> (send queue, buffers included) + <c>f</c> (memory
/// reserved for the socket ahead of use): the pages the socket has charged to the kernel's TCP memory.
/// </summary>
internal static partial class KernelSocketSampler
{
    /// <summary>Total bytes and socket count, or null when <c>ss</c> is not available.</summary>
    public static (long Bytes, int Sockets)? Sample(int serverPort)
    {
        try
        {
            var start = new ProcessStartInfo("ss", ["-tmnH", "state", "established", $"( sport = :{serverPort} )"])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using var ss = Process.Start(start);
            if (ss is null)
            {
                return null;
            }

            var output = ss.StandardOutput.ReadToEnd();
            ss.WaitForExit();
            long bytes = 0;
            var sockets = 0;
            foreach (Match m in SocketMemory().Matches(output))
            {
                sockets++;
                bytes += Field(m, "r") + Field(m, "w") + Field(m, "f");
            }

            return (bytes, sockets);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static long Field(Match m, string name) => long.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"skmem:\(r(?<r>\d+),rb\d+,t\d+,tb\d+,f(?<f>\d+),w(?<w>\d+)")]
    private static partial Regex SocketMemory();
}
