using MarketStream.Cluster;
using MarketStream.IntegrationTests.Infrastructure;

namespace MarketStream.IntegrationTests.Cluster;

/// <summary>The epoch announcement's payload and the settings behind it (docs/operations.md, Cluster).</summary>
public sealed class EpochAnnouncementTests
{
    [Fact]
    public void Announcement_RoundTrips_RejectsBadPayloads()
    {
        var bytes = new EpochAnnouncement("ingest-1.eu_west", 1_767_225_600_123).Write();

        Assert.True(EpochAnnouncement.TryRead(bytes, out var read));
        Assert.Equal(("ingest-1.eu_west", 1_767_225_600_123L), (read.NodeName, read.Epoch));
        Assert.False(EpochAnnouncement.TryRead(bytes.AsSpan(0, bytes.Length - 1), out _)); // name cut short
        Assert.False(EpochAnnouncement.TryRead([.. bytes, 0x41], out _)); // trailing byte
        var badVersion = bytes.ToArray();
        badVersion[0] = 9;
        Assert.False(EpochAnnouncement.TryRead(badVersion, out _));
        Assert.False(EpochAnnouncement.TryRead(new EpochAnnouncement("x", 0).Write(), out _)); // epoch must be positive
        Assert.False(EpochAnnouncement.TryRead(new EpochAnnouncement("a b", 5).Write(), out _)); // not a valid name
        Assert.False(EpochAnnouncement.TryRead([], out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ingest/1")]
    [InlineData("a-name-of-sixty-five-characters-is-one-more-than-the-limit-allows")]
    public void NodeName_Invalid_IngestRefusedNamingTheKey(string name)
    {
        var result = new ClusterOptionsValidator().Validate(null, new ClusterOptions { Role = ClusterRole.Ingest, NodeName = name });

        Assert.True(result.Failed);
        Assert.Contains("NodeName", result.FailureMessage, StringComparison.Ordinal);
        // A gateway has no use for the name, so it is not checked there.
        Assert.True(new ClusterOptionsValidator().Validate(null, new ClusterOptions { Role = ClusterRole.Gateway, NodeName = name }).Succeeded);
    }

    [Fact]
    public void Defaults_NodeNameIsTheHostName_Valid()
    {
        var options = new ClusterOptions { Role = ClusterRole.Ingest };

        Assert.Equal(Environment.MachineName, options.NodeName);
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)), (options.EpochAnnounceInterval, options.FeedStartWait));
        Assert.True(new ClusterOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("MarketStream:Cluster:EpochAnnounceInterval", "00:00:00.050")]
    [InlineData("MarketStream:Cluster:EpochAnnounceInterval", "00:02:00")]
    [InlineData("MarketStream:Cluster:FeedStartWait", "-00:00:01")]
    [InlineData("MarketStream:Cluster:FeedStartWait", "00:06:00")]
    public async Task InvalidSetting_StartFails_NamingTheKey(string key, string value)
    {
        var settings = new Dictionary<string, string?> { ["MarketStream:Cluster:Role"] = "Ingest", [key] = value };
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync(settings));
        Assert.Contains(key.Replace("MarketStream:Cluster:", "", StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
    }
}
