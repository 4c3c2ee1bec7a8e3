using System.Globalization;
using System.Net;
using System.Text;

namespace MarketStream.LoadTest.Reporting;

/// <summary>A line chart as inline SVG (no script, no CDN): the report opens offline and prints.</summary>
internal static class SvgChart
{
    private const int Width = 760;
    private const int Height = 300;
    private const int Left = 70;
    private const int Right = 20;
    private const int Top = 30;
    private const int Bottom = 45;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"];

    /// <summary>One named line of (x, y) points.</summary>
    public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);

    /// <param name="xTick">Label for an x value (e.g. a percentile for the latency plot).</param>
    /// <param name="xTicks">The x values to label.</param>
    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, Func<double, string>? xTick = null, IReadOnlyList<double>? xTicks = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var inv = CultureInfo.InvariantCulture;
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        double x0 = points.Count > 0 ? points.Min(p => p.X) : 0, x1 = points.Count > 0 ? points.Max(p => p.X) : 1;
        double y1 = points.Count > 0 ? points.Max(p => p.Y) : 1;
        if (x1 <= x0)
        {
            x1 = x0 + 1;
        }

        y1 = NiceCeiling(y1 <= 0 ? 1 : y1);
        double Sx(double x) => Left + ((x - x0) / (x1 - x0) * (Width - Left - Right));
        double Sy(double y) => Height - Bottom - (y / y1 * (Height - Top - Bottom));

        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">");
        sb.Append(inv, $"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">{Esc(title)}</text>");
        for (var i = 0; i <= 4; i++)
        {
            var y = y1 * i / 4;
            sb.Append(inv, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Sy(y):0.#}\" y2=\"{Sy(y):0.#}\" stroke=\"#ddd\"/>");
            sb.Append(inv, $"<text x=\"{Left - 6}\" y=\"{Sy(y) + 4:0.#}\" text-anchor=\"end\">{Esc(Short(y))}</text>");
        }

        var ticks = xTicks ?? Enumerable.Range(0, 6).Select(i => x0 + ((x1 - x0) * i / 5)).ToList();
        foreach (var x in ticks.Where(t => t >= x0 && t <= x1))
        {
            sb.Append(inv, $"<line x1=\"{Sx(x):0.#}\" x2=\"{Sx(x):0.#}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#eee\"/>");
            sb.Append(inv, $"<text x=\"{Sx(x):0.#}\" y=\"{Height - Bottom + 15}\" text-anchor=\"middle\">{Esc(xTick is null ? Short(x) : xTick(x))}</text>");
        }

        sb.Append(inv, $"<text x=\"{(Width + Left) / 2}\" y=\"{Height - 8}\" text-anchor=\"middle\">{Esc(xLabel)}</text>");
        sb.Append(inv, $"<text transform=\"translate(14 {(Height - Bottom + Top) / 2}) rotate(-90)\" text-anchor=\"middle\">{Esc(yLabel)}</text>");
        sb.Append(inv, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#999\"/>");
        for (var s = 0; s < series.Count; s++)
        {
            var color = Colors[s % Colors.Length];
            var path = string.Join(' ', series[s].Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).Select(p => string.Create(inv, $"{Sx(p.X):0.#},{Sy(Math.Min(p.Y, y1)):0.#}")));
            sb.Append(inv, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\" points=\"{path}\"/>");
            sb.Append(inv, $"<rect x=\"{Left + 10}\" y=\"{Top + 8 + (s * 16)}\" width=\"12\" height=\"3\" fill=\"{color}\"/>");
            sb.Append(inv, $"<text x=\"{Left + 28}\" y=\"{Top + 13 + (s * 16)}\">{Esc(series[s].Name)}</text>");
        }

        sb.Append("</svg>");
        return sb.ToString();
    }

    private static double NiceCeiling(double v)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= v)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Short(double v) => Math.Abs(v) switch
    {
        >= 1e6 => (v / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (v / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "k",
        _ => v.ToString("0.###", CultureInfo.InvariantCulture),
    };

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
