using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MarketStream.IntegrationTests.Infrastructure;

/// <summary>
/// What the kernel holds for one server-side TCP socket, read with <c>ss -tmn</c> (iproute2): the bytes not
/// yet acknowledged by the peer (Send-Q) and the memory queued for sending (<c>skmem</c> <c>w</c>, buffers
/// included). The socket is found by the server's port and the client's port.
/// </summary>
public static partial class KernelSocketQueue
{
    /// <summary>The connection's send queue, or null when the server has no established socket to that client port any more.</summary>
    public static (long SendQueueBytes, long QueuedMemoryBytes)? Read(int serverPort, int clientPort)
    {
        var start = new ProcessStartInfo("ss", ["-tmnH", "state", "established", $"( sport = :{serverPort} and dport = :{clientPort} )"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var ss = Process.Start(start) ?? throw new InvalidOperationException("ss (iproute2) could not be started");
        var output = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        // "Recv-Q Send-Q local peer\n\tskmem:(r0,rb…,t…,tb…,f…,w…,o…,bl…,d…)" — no state column with a state filter.
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return null;
        }

        var fields = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var sendQueue = long.Parse(fields[1], CultureInfo.InvariantCulture);
        var queued = QueuedMemory().Match(output);
        return (sendQueue, queued.Success ? long.Parse(queued.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    [GeneratedRegex(@"skmem:\([^)]*\bw(\d+)")]
    private static partial Regex QueuedMemory();
}
