using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MarketStream.Client.Cli;

/// <summary>
/// <c>token [PATTERNS…] [--subject dev] [--role subscriber|publisher|admin]</c>: mints a development token with the
/// server's <c>POST /api/dev/token</c> (docs/operations.md; only where the server enables it) and prints it alone
/// on stdout, so <c>TOKEN=$(marketstream token)</c> works.
/// </summary>
internal static class TokenCommand
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var url = StreamOptions.ReadUrl(args);
        var subject = args.String("subject") ?? "dev";
        var role = args.String("role") ?? "subscriber";
        args.RejectUnknown();
        string[] patterns = args.Positional.Count > 0 ? [.. args.Positional] : ["*"];

        var endpoint = new UriBuilder(url) { Scheme = url.Scheme == "wss" ? "https" : "http", Path = "/api/dev/token", Query = "" }.Uri;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.PostAsJsonAsync(endpoint, new { subject, role, patterns }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            error.WriteLine($"error: {endpoint} is not offered: the server mints development tokens only when MarketStream:Auth:DevTokenEndpoint is on (never in Required mode)");
            return 1;
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var reason = body.TryGetProperty("detail", out var detail) ? detail.GetString() : body.ToString();
            error.WriteLine($"error: the server refused the token request with HTTP {(int)response.StatusCode}: {reason}");
            return 1;
        }

        output.WriteLine(body.GetProperty("token").GetString());
        error.WriteLine($"# subject {subject}, role {role}, patterns {string.Join(' ', patterns)}, expires {body.GetProperty("expiresAt")}");
        return 0;
    }
}
