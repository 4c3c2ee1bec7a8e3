using Microsoft.AspNetCore.Http.Features;

namespace MarketStream.Server.Gateway;

/// <summary>
/// Puts a <see cref="ReceiveActivityStream"/> under the WebSocket of a <c>/ws</c> request. Runs before
/// <c>UseWebSockets</c>, which captures the upgrade features when the request arrives: both the HTTP/1.1
/// upgrade and the HTTP/2 extended CONNECT (RFC 8441) feature are wrapped, and the
/// <see cref="ReceiveActivity"/> is published as a request feature for the session to read.
/// </summary>
internal static class ReceiveActivityFeatures
{
    public static void Use(WebApplication app, string path, TimeProvider time) => app.Use((http, next) =>
    {
        if (http.Request.Path.Equals(path, StringComparison.Ordinal))
        {
            Wrap(http.Features, time);
        }

        return next(http);
    });

    private static void Wrap(IFeatureCollection features, TimeProvider time)
    {
        var upgrade = features.Get<IHttpUpgradeFeature>();
        var connect = features.Get<IHttpExtendedConnectFeature>();
        if (upgrade is not { IsUpgradableRequest: true } && connect is not { IsExtendedConnect: true })
        {
            return;
        }

        var activity = new ReceiveActivity(time);
        features.Set(activity);
        if (upgrade is not null)
        {
            features.Set<IHttpUpgradeFeature>(new UpgradeFeature(upgrade, activity));
        }

        if (connect is not null)
        {
            features.Set<IHttpExtendedConnectFeature>(new ExtendedConnectFeature(connect, activity));
        }
    }

    private sealed class UpgradeFeature(IHttpUpgradeFeature inner, ReceiveActivity activity) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync() => new ReceiveActivityStream(await inner.UpgradeAsync().ConfigureAwait(false), activity);
    }

    private sealed class ExtendedConnectFeature(IHttpExtendedConnectFeature inner, ReceiveActivity activity) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => inner.IsExtendedConnect;

        public string? Protocol => inner.Protocol;

        public async ValueTask<Stream> AcceptAsync() => new ReceiveActivityStream(await inner.AcceptAsync().ConfigureAwait(false), activity);
    }
}
