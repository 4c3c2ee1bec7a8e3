namespace MarketStream.Server.Gateway;

internal sealed partial class GatewaySession
{
    /// <summary>
    /// Session log lines (docs/operations.md lists them). Per-message problems are logged once per
    /// session; tokens never appear, only the reason a token failed.
    /// </summary>
    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Debug, "Session {SessionId} opened from {RemoteAddress} as {Subject}")]
        public static partial void SessionStarted(ILogger logger, string sessionId, string remoteAddress, string subject);

        [LoggerMessage(101, LogLevel.Debug, "Session {SessionId} ended with {CloseCode} after {Frames} frames")]
        public static partial void SessionEnded(ILogger logger, string sessionId, int closeCode, long frames);

        [LoggerMessage(102, LogLevel.Error, "Session {SessionId} failed; closing it with 1011")]
        public static partial void SessionFailed(ILogger logger, Exception exception, string sessionId);

        [LoggerMessage(103, LogLevel.Information, "Session {SessionId} closing with {CloseCode} ({Reason})")]
        public static partial void Closing(ILogger logger, string sessionId, int closeCode, string reason);

        [LoggerMessage(104, LogLevel.Warning, "Session {SessionId} sent a malformed message (error {ErrorCode}: {Detail}); further ones in this session are not logged")]
        public static partial void Malformed(ILogger logger, string sessionId, int errorCode, string detail);

        [LoggerMessage(105, LogLevel.Warning, "Session {SessionId} sent {Count} malformed messages; closing with 1008")]
        public static partial void MalformedClosed(ILogger logger, string sessionId, int count);

        [LoggerMessage(106, LogLevel.Warning, "Session {SessionId} sent a message over {MaxBytes} bytes; closing with 1009")]
        public static partial void MessageTooBig(ILogger logger, string sessionId, int maxBytes);

        [LoggerMessage(107, LogLevel.Warning, "Session {SessionId} sent a text frame; closing with 1003")]
        public static partial void TextFrame(ILogger logger, string sessionId);

        [LoggerMessage(108, LogLevel.Warning, "Session {SessionId} exceeded {Rate} inbound messages/s; answering Error 3001 (logged once)")]
        public static partial void RateLimited(ILogger logger, string sessionId, int rate);

        [LoggerMessage(109, LogLevel.Warning, "Session {SessionId} kept exceeding the inbound rate ({Rejected} rejected in a row); closing with 4004")]
        public static partial void RateLimitClosed(ILogger logger, string sessionId, int rejected);

        [LoggerMessage(110, LogLevel.Information, "Session {SessionId} did not authenticate in time; closing with 4005")]
        public static partial void AuthenticationTimedOut(ILogger logger, string sessionId);

        [LoggerMessage(111, LogLevel.Information, "Session {SessionId} authentication failed ({Reason}); closing with 4001")]
        public static partial void AuthenticationFailed(ILogger logger, string sessionId, string reason);

        [LoggerMessage(112, LogLevel.Debug, "Session {SessionId} authenticated as {Subject} ({Role})")]
        public static partial void Authenticated(ILogger logger, string sessionId, string subject, string role);

        [LoggerMessage(113, LogLevel.Information, "Session {SessionId} token expired; closing with 4002")]
        public static partial void TokenExpired(ILogger logger, string sessionId);

        [LoggerMessage(114, LogLevel.Warning, "Session {SessionId} is a slow consumer ({Cause}); closing with 4000")]
        public static partial void SlowConsumerClosed(ILogger logger, string sessionId, string cause);

        [LoggerMessage(115, LogLevel.Warning, "Session {SessionId} send blocked longer than {CloseLag}: client not reading; connection dropped (4000)")]
        public static partial void SlowConsumerAborted(ILogger logger, string sessionId, TimeSpan closeLag);

        [LoggerMessage(116, LogLevel.Information, "Session {SessionId} sent nothing, not even a pong, for {IdleLimit}; closing with 4006")]
        public static partial void KeepAliveTimedOut(ILogger logger, string sessionId, TimeSpan idleLimit);

        [LoggerMessage(117, LogLevel.Warning, "Session {SessionId} lags more than {CloseLag} and its socket is full: client not reading; connection dropped (4000)")]
        public static partial void SlowConsumerLagAborted(ILogger logger, string sessionId, TimeSpan closeLag);

        [LoggerMessage(118, LogLevel.Information, "Session {SessionId} sent nothing, not even a pong, for {IdleLimit} and its socket is full; connection dropped (4006)")]
        public static partial void KeepAliveAborted(ILogger logger, string sessionId, TimeSpan idleLimit);

        // 130+: kept apart from the session events above so parallel additions do not collide.
        [LoggerMessage(130, LogLevel.Debug, "Session {SessionId} request {RequestId} refused with error {ErrorCode}")]
        public static partial void RequestRefused(ILogger logger, string sessionId, long requestId, int errorCode);
    }
}
