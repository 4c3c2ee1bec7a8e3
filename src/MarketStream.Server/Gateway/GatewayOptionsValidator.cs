using Microsoft.Extensions.Options;

namespace MarketStream.Server.Gateway;

/// <summary>Checks <see cref="GatewayOptions"/> at start-up so a bad limit fails fast with a clear message.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions o)
    {
        var errors = new List<string>();
        Range(errors, nameof(o.MaxInboundMessageBytes), o.MaxInboundMessageBytes, 256, 1024 * 1024);
        Range(errors, nameof(o.MaxFrameBytes), o.MaxFrameBytes, 4 * 1024, 4 * 1024 * 1024);
        Range(errors, nameof(o.MaxSubscriptionsPerConnection), o.MaxSubscriptionsPerConnection, 1, 10_000);
        Range(errors, nameof(o.MaxSymbolsPerConnection), o.MaxSymbolsPerConnection, 1, 1_000_000);
        Range(errors, nameof(o.MaxInboundMessagesPerSecond), o.MaxInboundMessagesPerSecond, 1, 10_000);
        Range(errors, nameof(o.InboundBurst), o.InboundBurst, o.MaxInboundMessagesPerSecond, 100_000);
        Range(errors, nameof(o.MaxConnections), o.MaxConnections, 1, 10_000_000);
        Range(errors, nameof(o.MaxConnectionsPerAddress), o.MaxConnectionsPerAddress, 1, o.MaxConnections);
        Range(errors, nameof(o.FullModeQueueCapacity), o.FullModeQueueCapacity, 16, 1_000_000);
        Range(errors, nameof(o.HeartbeatInterval), o.HeartbeatInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60));
        Range(errors, nameof(o.KeepAliveInterval), o.KeepAliveInterval, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        // At least 2 s: the WebSocket checks for a due ping about once a second, so a healthy client's pong may come that late.
        Range(errors, nameof(o.KeepAliveTimeout), o.KeepAliveTimeout, o.KeepAliveInterval > TimeSpan.FromSeconds(2) ? o.KeepAliveInterval : TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10));
        Range(errors, nameof(o.SlowConsumerWarnLag), o.SlowConsumerWarnLag, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        Range(errors, nameof(o.SlowConsumerCloseLag), o.SlowConsumerCloseLag, o.SlowConsumerWarnLag + TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(30));
        Range(errors, nameof(o.ShutdownDrainTimeout), o.ShutdownDrainTimeout, TimeSpan.Zero, TimeSpan.FromSeconds(60));
        ZeroOrRange(errors, nameof(o.SocketNotSentLowWaterBytes), o.SocketNotSentLowWaterBytes, 1024, 16 * 1024 * 1024);
        ZeroOrRange(errors, nameof(o.SocketSendBufferBytes), o.SocketSendBufferBytes, 4 * 1024, 64 * 1024 * 1024);
        if (!Enum.IsDefined(o.FullModeOverflow))
        {
            errors.Add($"{GatewayOptions.SectionName}:FullModeOverflow is {o.FullModeOverflow}; it must be Degrade or Close.");
        }

        foreach (var origin in o.AllowedOrigins)
        {
            if (OriginPolicy.Normalize(origin) is null)
            {
                errors.Add($"{GatewayOptions.SectionName}:AllowedOrigins has '{origin}', which is not an origin (scheme://host[:port], no path).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>0 means "leave it to the kernel"; anything else must be in range.</summary>
    private static void ZeroOrRange(List<string> errors, string name, int value, int min, int max)
    {
        if (value != 0 && (value < min || value > max))
        {
            errors.Add($"{GatewayOptions.SectionName}:{name} is {value}; it must be 0 (left to the kernel) or between {min} and {max}.");
        }
    }

    private static void Range<T>(List<string> errors, string name, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            errors.Add($"{GatewayOptions.SectionName}:{name} is {value}; it must be between {min} and {max}.");
        }
    }
}
