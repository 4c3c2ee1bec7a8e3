using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace MarketStream.IntegrationTests.Tls;

/// <summary>
/// wss:// and https:// with nothing but standard Kestrel configuration (docs/tls.md): a self-signed
/// certificate written as a PFX, <c>Kestrel:Endpoints:Https</c> pointing at it, and clients that
/// trust exactly that certificate.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private const string Password = "test-pfx-password";
    private readonly string _directory = Directory.CreateTempSubdirectory("marketstream-tls-").FullName;
    private readonly X509Certificate2 _certificate;
    private readonly string _pfxPath;

    public TlsTests()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        _pfxPath = Path.Combine(_directory, "server.pfx");
        File.WriteAllBytes(_pfxPath, _certificate.Export(X509ContentType.Pfx, Password));
    }

    [Fact]
    public async Task Wss_IngestHandshakeOverTls_WelcomeAndAuthenticated()
    {
        await using var server = await StartHttpsAsync();
        Assert.Equal("https", server.BaseAddress.Scheme);
        var token = server.Services.GetRequiredService<TokenService>().Issue("feed-tls", TokenRole.Publisher, [], TimeSpan.FromMinutes(5));

        await using var client = await IngestTestClient.ConnectAsync(
            new Uri($"wss://{server.BaseAddress.Authority}/ingest"),
            token,
            options => options.RemoteCertificateValidationCallback = TrustOnlyOurCertificate);

        Assert.Equal(WireProtocol.SubProtocol, client.Socket.SubProtocol);
        Assert.Equal(1, (await client.ReceiveAsync<WelcomeMessage>()).Version);
        Assert.Equal("feed-tls", (await client.ReceiveAsync<AuthenticatedMessage>()).Subject);
        await client.SendAsync(new PingRequest(2, 42));
        Assert.Equal(42, (await client.ReceiveAsync<PongMessage>()).ClientTimeNs);
    }

    [Fact]
    public async Task Wss_SubscriberEndpointOverTls_WelcomeSubscribeAckAndPong()
    {
        await using var server = await StartHttpsAsync();
        await using var client = await IngestTestClient.ConnectAsync(
            new Uri($"wss://{server.BaseAddress.Authority}/ws"),
            configure: options => options.RemoteCertificateValidationCallback = TrustOnlyOurCertificate);

        Assert.Equal(WireProtocol.SubProtocol, client.Socket.SubProtocol);
        Assert.Equal(0, (await client.ReceiveAsync<WelcomeMessage>()).AuthDeadlineMs);
        await client.SendAsync(new SubscribeRequest(3, ["EURUSD"], SubscriptionMode.Conflated, 0, 0, []));
        var ack = await client.ReceiveAsync<SubscribeAckMessage>();
        Assert.Equal("EURUSD", Assert.Single(ack.Symbols).Name);
    }

    [Fact]
    public async Task Https_SseStreamOverTls_SnapshotArrives()
    {
        await using var server = await StartHttpsAsync();
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, chain, errors) => TrustOnlyOurCertificate(null!, cert, chain, errors) };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        await using var sse = await SseTestClient.ConnectAsync(http, "/sse?symbols=EURUSD");
        Assert.Equal("subscribed", (await sse.NextAsync()).Name);
        Assert.Equal("snapshot", (await sse.NextDataAsync()).Name);
    }

    [Fact]
    public async Task Wss_UntrustedCertificate_HandshakeFails()
    {
        await using var server = await StartHttpsAsync();
        await Assert.ThrowsAsync<WebSocketException>(() => IngestTestClient.ConnectAsync(new Uri($"wss://{server.BaseAddress.Authority}/ingest")));
    }

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<RunningServer> StartHttpsAsync() => RunningServer.StartAsync(new Dictionary<string, string?>
    {
        ["MarketStream:Feeds:Ingest:Enabled"] = "true",
        ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
        ["Kestrel:Endpoints:Https:Certificate:Path"] = _pfxPath,
        ["Kestrel:Endpoints:Https:Certificate:Password"] = Password,
    });

    private bool TrustOnlyOurCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == _certificate.GetCertHashString(HashAlgorithmName.SHA256);
}
