namespace MarketStream.Server.Gateway;

/// <summary>The HTTP upgrade path's <see cref="ITransportAbort"/>: aborts the request's connection.</summary>
internal sealed class HttpTransportAbort(HttpContext http) : ITransportAbort
{
    public void AbortTransport() => http.Abort();
}
