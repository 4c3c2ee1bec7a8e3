using MarketStream.Core.Symbols;
using Microsoft.Extensions.Options;

namespace MarketStream.Server.Auth;

/// <summary>
/// <c>POST /api/dev/token</c> with <c>{"subject":"alice","role":"subscriber","patterns":["EUR*"]}</c> returns
/// <c>{"token":"…","expiresAt":"…"}</c>, valid for <see cref="AuthOptions.DevTokenLifetime"/>. Mapped only when
/// <see cref="AuthOptions.DevTokenEndpointEnabled"/> (by default in Anonymous mode only; the validator refuses it in
/// Required mode), so otherwise the path answers 404.
/// </summary>
internal static class DevTokenEndpoint
{
    private const int MaxSubjectLength = 128;
    private const int MaxPatterns = 64;

    public static void Map(WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.DevTokenEndpointEnabled)
        {
            return;
        }

        app.MapPost("/api/dev/token", static (DevTokenRequest? request, TokenService tokens, IOptions<AuthOptions> options, TimeProvider time) =>
        {
            if (request is null || string.IsNullOrWhiteSpace(request.Subject) || request.Subject.Length > MaxSubjectLength)
            {
                return Results.Json(new { error = "invalid_subject", detail = $"subject must be 1–{MaxSubjectLength} characters" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var role = TokenRole.Subscriber;
            if (request.Role is { Length: > 0 } roleText && (!Enum.TryParse(roleText, ignoreCase: true, out role) || !Enum.IsDefined(role)))
            {
                return Results.Json(new { error = "invalid_role", detail = "role must be subscriber, publisher or admin" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var patterns = request.Patterns ?? ["*"];
            if (patterns.Count is 0 or > MaxPatterns)
            {
                return Results.Json(new { error = "invalid_patterns", detail = $"patterns must hold 1–{MaxPatterns} entries" }, statusCode: StatusCodes.Status400BadRequest);
            }

            foreach (var pattern in patterns)
            {
                string? reason = "null pattern";
                if (pattern is null || !SymbolPattern.TryParse(pattern, out _, out reason))
                {
                    return Results.Json(new { error = "invalid_patterns", detail = reason }, statusCode: StatusCodes.Status400BadRequest);
                }
            }

            var lifetime = options.Value.DevTokenLifetime;
            var token = tokens.Issue(request.Subject, role, patterns, lifetime, time);
            return Results.Json(new { token, expiresAt = time.GetUtcNow() + lifetime });
        });
    }
}
