namespace MarketStream.Server.Auth;

/// <summary>Body of <c>POST /api/dev/token</c>.</summary>
/// <param name="Subject">Token subject (user name), 1–128 characters.</param>
/// <param name="Role">subscriber (default), publisher or admin.</param>
/// <param name="Patterns">Entitled symbol patterns; defaults to <c>["*"]</c>.</param>
internal sealed record DevTokenRequest(string? Subject, string? Role, IReadOnlyList<string>? Patterns);
