using System.Buffers;
using MarketStream.Core.Sessions;
using MarketStream.Core.Symbols;
using MarketStream.Model;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using MessagePack;

namespace MarketStream.Server.Gateway;

internal sealed partial class GatewaySession
{
    private bool _tokenAuthenticated;
    private bool _closed;

    private async ValueTask HandleAsync(ClientMessage message)
    {
        if (_grant is null && message is not (AuthenticateRequest or PingRequest))
        {
            // Required mode before Authenticate: only Authenticate and Ping (§1.3).
            SendError(message.RequestId, ErrorCode.AuthenticationRequired, "authenticate first");
            return;
        }

        switch (message)
        {
            case AuthenticateRequest m:
                await AuthenticateAsync(m).ConfigureAwait(false);
                break;
            case SubscribeRequest m:
                Subscribe(m);
                break;
            case UnsubscribeRequest m:
                Unsubscribe(m);
                break;
            case SnapshotRequest m:
                RequestSnapshot(m);
                break;
            case PingRequest m:
                Enqueue(Encode(m, static (ref MessagePackWriter w, PingRequest p, GatewaySession s) => ServerMessageWriter.WritePong(ref w, p.RequestId, p.ClientTimeNs, s._context.UnixNanos())));
                break;
            case IngestTicksRequest m:
                // Ingest over /ws needs the publisher role (§4.17); the ingest path itself is served by the ingest endpoint.
                SendError(m.RequestId, _grant!.MayPublish ? ErrorCode.ServiceUnavailable : ErrorCode.IngestNotPermitted,
                    _grant.MayPublish ? "ingest over this WebSocket is not available on this node" : "token lacks the ingest entitlement");
                break;
            default:
                SendError(message.RequestId, ErrorCode.UnknownMessageType, "not a client request");
                break;
        }
    }

    /// <summary>§4.1: a valid token grants (or extends) the session; an invalid one gets Error 2001/2002 and close 4001.</summary>
    private async ValueTask AuthenticateAsync(AuthenticateRequest request)
    {
        var (grant, failure) = await _context.Tokens.ValidateAsync(request.Token).ConfigureAwait(false);
        if (grant is null)
        {
            // The token itself is never logged, only why it failed.
            Log.AuthenticationFailed(Logger, Id, failure.ToString());
            SendError(request.RequestId, failure == AuthFailure.Expired ? ErrorCode.TokenExpired : ErrorCode.InvalidToken,
                failure == AuthFailure.Expired ? "token expired" : "token rejected");
            RequestClose(CloseCode.AuthenticationFailed, "authentication failed");
            return;
        }

        if (_tokenAuthenticated && !string.Equals(grant.Subject, _grant?.Subject, StringComparison.Ordinal))
        {
            SendError(request.RequestId, ErrorCode.AlreadyAuthenticated, "session is authenticated as another subject");
            return;
        }

        _tokenAuthenticated = true;
        SetGrant(grant);
        Log.Authenticated(Logger, Id, grant.Subject, grant.Role.ToString());
        var expiresNs = grant.ExpiresAt is { } at ? UnixNanos.From(at) : 0;
        Enqueue(Encode((request.RequestId, grant.Subject, expiresNs), static (ref MessagePackWriter w, (long Id, string Subject, long Expires) a, GatewaySession _) =>
            ServerMessageWriter.WriteAuthenticated(ref w, a.Id, a.Subject, a.Expires)));
    }

    /// <summary>§4.2 Subscribe: parse, entitle, expand, enforce limits, then ack and subscribe atomically (see the class remarks).</summary>
    private void Subscribe(SubscribeRequest request)
    {
        var id = request.RequestId;
        if (request.Channels is not null || request.Replay is not null || HasChannelResume(request.Resume))
        {
            // The channel model is specified (§2.5) but the engine serves only the v1 streams: refused, never
            // silently answered with quotes and trades instead of what was asked for.
            SendError(id, ErrorCode.InvalidField, "channels and replay are not served by this server; send the v1 Subscribe (7 elements)");
            return;
        }

        var patterns = new SymbolPattern[request.Symbols.Count];
        for (var i = 0; i < patterns.Length; i++)
        {
            var text = request.Symbols[i];
            if (!SymbolPattern.TryParse(text, out patterns[i], out var reason))
            {
                SendError(id, text.Contains('*', StringComparison.Ordinal) ? ErrorCode.InvalidPattern : ErrorCode.InvalidSymbol, $"'{text}': {reason}");
                return;
            }
        }

        SymbolPattern[] entitlements;
        lock (_subscriptions)
        {
            entitlements = _entitlements;
        }

        foreach (var pattern in patterns)
        {
            if (!IsEntitled(pattern, entitlements))
            {
                // Names nothing: neither what the token allows nor which requested entry failed.
                SendError(id, ErrorCode.NotEntitled, "not entitled to one or more of the requested symbols");
                return;
            }
        }

        var registry = _context.Host.Registry;
        var symbols = new List<SymbolInfo>();
        var matches = new List<SymbolInfo>();
        var seen = new HashSet<int>();
        foreach (var pattern in patterns)
        {
            matches.Clear();
            registry.Match(pattern, matches);
            if (matches.Count == 0)
            {
                SendError(id, ErrorCode.UnknownSymbol, pattern.Kind == SymbolPatternKind.Exact ? $"unknown symbol '{pattern}'" : $"pattern '{pattern}' matches no symbol");
                return;
            }

            foreach (var match in matches)
            {
                if (seen.Add(match.Id))
                {
                    symbols.Add(match);
                }
            }
        }

        // The engine accepts the protocol's whole range (0 – MaxIntervalMs, 24 h, docs/protocol.md §4.2), which
        // the reader has already enforced; the clamp only keeps SubscriptionOptions' own check from throwing.
        var options = new SubscriptionOptions(
            (DeliveryMode)request.Mode,
            Math.Min(request.MaxRateMs, SubscriptionLimits.MaxIntervalMs),
            Math.Min(request.MaxLagMs, SubscriptionLimits.MaxIntervalMs),
            Options.FullModeOverflow);
        var mode = request.MaxRateMs > 0 ? SubscriptionMode.Conflated : request.Mode;
        Dictionary<int, StreamPosition>? resume = null;
        foreach (var position in request.Resume)
        {
            if (registry.TryGetId(position.Symbol, out var symbolId) && seen.Contains(symbolId) && position.Epoch > 0)
            {
                (resume ??= [])[symbolId] = new StreamPosition(position.Epoch, position.Seq);
            }
        }

        var ack = Encode((id, mode, symbols), static (ref MessagePackWriter w, (long Id, SubscriptionMode Mode, List<SymbolInfo> Symbols) a, GatewaySession _) =>
            ServerMessageWriter.WriteSubscribeAck(ref w, a.Id, a.Mode, a.Symbols));
        var refusal = ErrorCode.None;
        var added = 0;
        lock (_subscriptions)
        {
            if (_closed || _closeCode != 0)
            {
                return;
            }

            if (_subscriptions.Contains(id))
            {
                refusal = ErrorCode.DuplicateSubscription;
            }
            else if (_subscriptions.Count >= Options.MaxSubscriptionsPerConnection)
            {
                refusal = ErrorCode.TooManySubscriptions;
            }
            else if (_subscriptions.SymbolCount + CountUncovered(symbols) > Options.MaxSymbolsPerConnection)
            {
                refusal = ErrorCode.TooManySymbols;
            }
            else
            {
                var subscription = new SessionSubscription(id, patterns, options, mode);
                _subscriptions.Add(subscription);
                // Ack first, then the outbox: the ordering rule in the class remarks.
                EnqueueLocked(ack);
                foreach (var symbol in symbols)
                {
                    // A symbol another subscription already covers keeps that delivery (§4.2): no new snapshot.
                    if (_subscriptions.Cover(subscription, symbol.Id))
                    {
                        _subscriptions.ExpectSnapshot(symbol.Id, id);
                        StreamPosition? from = resume is not null && resume.TryGetValue(symbol.Id, out var p) ? p : null;
                        _outbox.Subscribe(symbol.Id, options, from);
                        added++;
                    }
                }
            }
        }

        switch (refusal)
        {
            case ErrorCode.DuplicateSubscription:
                SendError(id, refusal, "subscription id already in use");
                return;
            case ErrorCode.TooManySubscriptions:
                SendError(id, refusal, $"at most {Options.MaxSubscriptionsPerConnection} subscriptions per connection");
                return;
            case ErrorCode.TooManySymbols:
                SendError(id, refusal, $"at most {Options.MaxSymbolsPerConnection} symbols per connection");
                return;
        }

        _context.Metrics.SubscriptionsChanged(added);
        _outbox.Wake();
    }

    /// <summary>§4.3: the outbox stops a symbol only when no other subscription covers it; the ack follows the outbox change.</summary>
    private void Unsubscribe(UnsubscribeRequest request)
    {
        var released = new List<int>();
        var reowned = new List<int>();
        var ack = Encode(request, static (ref MessagePackWriter w, UnsubscribeRequest r, GatewaySession _) =>
            ServerMessageWriter.WriteUnsubscribeAck(ref w, r.RequestId, r.SubscriptionId));
        lock (_subscriptions)
        {
            if (_closed || !_subscriptions.TryGet(request.SubscriptionId, out var subscription))
            {
                subscription = null;
            }
            else
            {
                _subscriptions.Remove(subscription, released, reowned);
                foreach (var symbolId in released)
                {
                    _outbox.Unsubscribe(symbolId);
                }

                foreach (var symbolId in reowned)
                {
                    // The remaining subscription's delivery options take over, without a new snapshot.
                    if (_subscriptions.TryGet(_subscriptions.OwnerOf(symbolId), out var owner))
                    {
                        _outbox.Subscribe(symbolId, owner.Options);
                    }
                }

                // After outbox.Unsubscribe: no update of this subscription can follow the ack.
                EnqueueLocked(ack);
            }

            if (subscription is null)
            {
                released = null;
            }
        }

        if (released is null)
        {
            SendError(request.RequestId, ErrorCode.UnknownSubscription, "no active subscription with that id");
            return;
        }

        _context.Metrics.SubscriptionsChanged(-released.Count);
        _outbox.Wake();
    }

    private static bool HasChannelResume(IReadOnlyList<ResumePosition> resume)
    {
        foreach (var position in resume)
        {
            if (position.Channel != ChannelKind.None)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>§4.4: an in-band snapshot, ordered against the stream by the outbox.</summary>
    private void RequestSnapshot(SnapshotRequest request)
    {
        if (request.Channel != ChannelKind.None)
        {
            SendError(request.RequestId, ErrorCode.InvalidField, "channels are not served by this server; send the v1 SnapshotRequest (3 elements)");
            return;
        }

        var code = ErrorCode.None;
        if (!_context.Host.Registry.TryGetId(request.Symbol, out var symbolId))
        {
            code = ErrorCode.NotSubscribed;
        }
        else
        {
            _context.Host.Engine.TryGetSnapshot(symbolId, out var snapshot);
            lock (_subscriptions)
            {
                if (!_subscriptions.Covers(symbolId))
                {
                    code = ErrorCode.NotSubscribed;
                }
                else if (snapshot.Seq == 0)
                {
                    code = ErrorCode.SnapshotUnavailable;
                }
                else
                {
                    _subscriptions.ExpectSnapshot(symbolId, request.RequestId);
                    if (!_outbox.RequestSnapshot(symbolId))
                    {
                        _subscriptions.ExpectSnapshot(symbolId, 0);
                        code = ErrorCode.NotSubscribed;
                    }
                }
            }
        }

        if (code == ErrorCode.NotSubscribed)
        {
            SendError(request.RequestId, code, $"not subscribed to {request.Symbol}");
        }
        else if (code == ErrorCode.SnapshotUnavailable)
        {
            SendError(request.RequestId, code, $"no data for {request.Symbol} yet");
        }
        else
        {
            _outbox.Wake();
        }
    }

    /// <summary>Extends wildcard subscriptions to a symbol added at run time (architecture.md, SymbolAdded); called by <see cref="SessionRegistry"/>.</summary>
    public void OnSymbolAdded(SymbolInfo symbol)
    {
        try
        {
            var added = 0;
            lock (_subscriptions)
            {
                if (_closed || _closeCode != 0)
                {
                    return;
                }

                foreach (var subscription in _subscriptions.All)
                {
                    if (!subscription.HasWildcard || !Matches(subscription.Patterns, symbol.Name))
                    {
                        continue;
                    }

                    if (!_subscriptions.Covers(symbol.Id) && _subscriptions.SymbolCount >= Options.MaxSymbolsPerConnection)
                    {
                        break;
                    }

                    if (_subscriptions.Cover(subscription, symbol.Id))
                    {
                        // Its Snapshot carries the definition, so the client learns the new id (§2.1).
                        _subscriptions.ExpectSnapshot(symbol.Id, subscription.Id);
                        _outbox.Subscribe(symbol.Id, subscription.Options);
                        added++;
                    }
                }
            }

            _context.Metrics.SubscriptionsChanged(added);
        }
        catch (Exception ex)
        {
            // Raised on the registry's caller's thread: never let one session's failure reach it.
            Log.SessionFailed(Logger, ex, Id);
            RequestClose(CloseCode.InternalError, "internal error");
        }
    }

    private static bool Matches(SymbolPattern[] patterns, string name)
    {
        foreach (var pattern in patterns)
        {
            if (pattern.Matches(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Entitled when some granted pattern covers everything the requested one can match.</summary>
    internal static bool IsEntitled(in SymbolPattern requested, SymbolPattern[] granted)
    {
        foreach (var grant in granted)
        {
            if (grant.Covers(requested))
            {
                return true;
            }
        }

        return false;
    }

    private int CountUncovered(List<SymbolInfo> symbols)
    {
        var n = 0;
        foreach (var symbol in symbols)
        {
            if (!_subscriptions.Covers(symbol.Id))
            {
                n++;
            }
        }

        return n;
    }

    private void SendWelcome()
    {
        var deadlineMs = _grant is null ? (int)_context.Auth.AuthenticateTimeout.TotalMilliseconds : 0;
        var welcome = new WelcomeMessage(
            WireProtocol.Version,
            Id,
            _context.UnixNanos(),
            deadlineMs,
            Options.MaxInboundMessageBytes,
            Options.MaxSubscriptionsPerConnection,
            Options.MaxInboundMessagesPerSecond,
            Options.MaxFrameBytes,
            (int)Options.HeartbeatInterval.TotalMilliseconds);
        Enqueue(Encode(welcome, static (ref MessagePackWriter w, WelcomeMessage m, GatewaySession _) => ServerMessageWriter.WriteWelcome(ref w, m)));
        if (_grant is { ExpiresAt: { } at } grant)
        {
            // Token from the handshake: Authenticated with requestId 0 right after Welcome (§4.10).
            _tokenAuthenticated = true;
            var expiresNs = UnixNanos.From(at);
            Enqueue(Encode((grant.Subject, expiresNs), static (ref MessagePackWriter w, (string Subject, long Expires) a, GatewaySession _) =>
                ServerMessageWriter.WriteAuthenticated(ref w, 0, a.Subject, a.Expires)));
        }
    }

    private void SendError(long requestId, ErrorCode code, string text)
    {
        _context.Metrics.ProtocolError((int)code);
        // Every Error sent is traceable at Debug; the Warning-level lines stay once per session.
        Log.RequestRefused(Logger, Id, requestId, (int)code);
        Enqueue(Encode((requestId, code, text), static (ref MessagePackWriter w, (long Id, ErrorCode Code, string Text) e, GatewaySession _) =>
            ServerMessageWriter.WriteError(ref w, e.Id, e.Code, e.Text)));
    }

    private delegate void WriteMessage<TState>(ref MessagePackWriter writer, TState state, GatewaySession session);

    /// <summary>
    /// Encoding scratch, one per thread rather than per session: encoding is synchronous (no await
    /// between writing and copying out), and an idle session should hold no buffer (docs/operations.md,
    /// memory per connection).
    /// </summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_encoder;

    /// <summary>Encodes one control message (rare: acks, errors, Pong) into its own array; only the reader encodes.</summary>
    private byte[] Encode<TState>(TState state, WriteMessage<TState> write)
    {
        var encoder = t_encoder ??= new ArrayBufferWriter<byte>(256);
        encoder.ResetWrittenCount();
        var writer = new MessagePackWriter(encoder);
        write(ref writer, state, this);
        writer.Flush();
        var message = encoder.WrittenSpan.ToArray();
        if (encoder.Capacity > 64 * 1024)
        {
            // A very wide SubscribeAck grew it: don't keep that on the thread.
            t_encoder = null;
        }

        return message;
    }
}
