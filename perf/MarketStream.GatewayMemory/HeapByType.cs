using System.Diagnostics;
using System.Globalization;
using Microsoft.Diagnostics.Runtime;

namespace MarketStream.GatewayMemory;

/// <summary>
/// The managed heap of a running process by type (count, bytes), read with ClrMD. A process cannot
/// walk its own suspended heap, so the harness starts this as a child (<c>heap &lt;pid&gt;</c>): it
/// attaches (ptrace, the target is suspended while it reads), walks every object and prints one
/// <c>count\tbytes\ttype</c> line per type. The harness collects just before, so nearly every object
/// seen is live; "Free" is the heap's free space between objects (fragmentation).
/// </summary>
internal static class HeapByType
{
    /// <summary>Child entry point: prints the heap of <paramref name="args"/>[0] by type.</summary>
    public static int Run(string[] args)
    {
        var pid = int.Parse(args[0], CultureInfo.InvariantCulture);
        var stats = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        using (var target = DataTarget.AttachToProcess(pid, suspend: true))
        {
            // The target runs on this same shared runtime: its DAC sits next to this process's CoreLib.
            var dac = Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), OperatingSystem.IsWindows() ? "mscordaccore.dll" : "libmscordaccore.so");
            using var runtime = File.Exists(dac) ? target.ClrVersions[0].CreateRuntime(dac, ignoreMismatch: true) : target.ClrVersions[0].CreateRuntime();
            // Who holds the shared types (strings, arrays, locks, tasks…): each object is charged to the
            // type of the first object seen referring to it, as "type ← holder".
            var holder = new Dictionary<ulong, string>();
            foreach (var obj in runtime.Heap.EnumerateObjects())
            {
                if (obj.IsFree || obj.Type is null)
                {
                    continue;
                }

                foreach (var reference in obj.EnumerateReferenceAddresses())
                {
                    holder.TryAdd(reference, obj.Type.Name ?? "(unknown)");
                }
            }

            foreach (var obj in runtime.Heap.EnumerateObjects())
            {
                var name = obj.IsFree ? "Free" : obj.Type?.Name ?? "(unknown)";
                Add(stats, name, (long)obj.Size);
                if (!obj.IsFree && !name.Contains("MarketStream.", StringComparison.Ordinal))
                {
                    Add(stats, name + HolderMark + (holder.TryGetValue(obj.Address, out var h) ? h : "(root)"), (long)obj.Size);
                }
            }
        }

        var output = Console.Out;
        foreach (var (name, s) in stats)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Count}\t{s.Bytes}\t{name}"));
        }

        return 0;
    }

    private const string HolderMark = " ← ";

    private static void Add(Dictionary<string, (long Count, long Bytes)> stats, string key, long bytes)
    {
        stats.TryGetValue(key, out var s);
        stats[key] = (s.Count + 1, s.Bytes + bytes);
    }

    /// <summary>Starts the child on <paramref name="pid"/> and reads its table.</summary>
    public static async Task<Dictionary<string, (long Count, long Bytes)>> ReadAsync(int pid)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(HeapByType).Assembly.Location);
        }

        start.ArgumentList.Add("heap");
        start.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the heap reader");
        var stats = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            var parts = line.Split('\t', 3);
            stats[parts[2]] = (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
        }

        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"heap reader exited with {child.ExitCode}");
        }

        return stats;
    }

    /// <summary>
    /// Prints (after − before) ÷ <paramref name="connections"/> by type, largest first, with each type's
    /// owner: ours (MarketStream), ASP.NET Core / Kestrel (incl. System.IO.Pipelines), the WebSocket, or
    /// the runtime (sockets, timers, thread pool, async machinery of non-MarketStream code).
    /// </summary>
    public static void PrintDiff(Dictionary<string, (long Count, long Bytes)> before, Dictionary<string, (long Count, long Bytes)> after, int connections, int top)
    {
        var rows = new List<(string Name, double Count, double Bytes)>();
        var held = new List<(string Name, double Count, double Bytes)>();
        foreach (var (name, a) in after)
        {
            if (name.Contains(HolderMark, StringComparison.Ordinal))
            {
                before.TryGetValue(name, out var hb);
                var heldBytes = (a.Bytes - hb.Bytes) / (double)connections;
                if (heldBytes >= 16)
                {
                    held.Add((name, (a.Count - hb.Count) / (double)connections, heldBytes));
                }

                continue;
            }

            before.TryGetValue(name, out var b);
            var bytes = (a.Bytes - b.Bytes) / (double)connections;
            var count = (a.Count - b.Count) / (double)connections;
            if (Math.Abs(bytes) >= 1 && name != "Free")
            {
                rows.Add((name, count, bytes));
            }
        }

        rows.Sort((x, y) => y.Bytes.CompareTo(x.Bytes));
        var byOwner = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var owner = Owner(row.Name);
            byOwner[owner] = byOwner.GetValueOrDefault(owner) + row.Bytes;
        }

        after.TryGetValue("Free", out var freeAfter);
        before.TryGetValue("Free", out var freeBefore);
        Console.WriteLine();
        Console.WriteLine($"GC heap by type, per connection ({connections:N0} connections vs the baseline; types ≥ 1 B/conn, top {top}):");
        Console.WriteLine("| owner | type | objects/conn | bytes/conn |");
        Console.WriteLine("|---|---|---:|---:|");
        foreach (var row in rows.Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {Owner(row.Name)} | `{Shorten(row.Name)}` | {row.Count:F2} | {row.Bytes:F0} |"));
        }

        Console.WriteLine();
        Console.WriteLine("| owner | bytes/conn |");
        Console.WriteLine("|---|---:|");
        foreach (var (owner, bytes) in byOwner.OrderByDescending(p => p.Value))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {owner} | {bytes:F0} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| **all objects** | **{rows.Sum(r => r.Bytes):F0}** |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| free space between objects (fragmentation) | {(freeAfter.Bytes - freeBefore.Bytes) / (double)connections:F0} |"));
        Console.WriteLine();
        Console.WriteLine("Shared types (not MarketStream's own) by the type of an object holding them, ≥ 16 B/conn:");
        Console.WriteLine("| type ← held by | objects/conn | bytes/conn |");
        Console.WriteLine("|---|---:|---:|");
        held.Sort((x, y) => y.Bytes.CompareTo(x.Bytes));
        foreach (var row in held.Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `{Shorten(row.Name)}` | {row.Count:F2} | {row.Bytes:F0} |"));
        }
    }

    private static string Owner(string name)
    {
        // A generic instantiation (async state machine box, Action<T>, Dictionary<K,V>…) belongs to the code it was made for.
        if (name.Contains("MarketStream.", StringComparison.Ordinal))
        {
            return "ours";
        }

        if (name.Contains("WebSocket", StringComparison.Ordinal))
        {
            return "WebSocket (runtime)";
        }

        if (name.Contains("Kestrel", StringComparison.Ordinal) || name.Contains("AspNetCore", StringComparison.Ordinal) || name.Contains("System.IO.Pipelines", StringComparison.Ordinal))
        {
            return "ASP.NET Core / Kestrel";
        }

        return "runtime / shared";
    }

    private static string Shorten(string name) => name
        .Replace("System.Runtime.CompilerServices.", "", StringComparison.Ordinal)
        .Replace("Microsoft.AspNetCore.Server.Kestrel.", "Kestrel.", StringComparison.Ordinal)
        .Replace("MarketStream.Server.Gateway.", "", StringComparison.Ordinal)
        .Replace("System.Threading.Tasks.", "", StringComparison.Ordinal)
        .Replace("|", "\\|", StringComparison.Ordinal);
}
