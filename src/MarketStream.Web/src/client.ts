// The connection: WebSocket lifecycle on `/ws` (docs/protocol.md §1), authentication, the
// subscriptions the user asked for, reconnect with exponential backoff and jitter, and resume from
// the last (epoch, seq) per symbol name (§2.4). Decoded stream messages go straight into Market.

import type { Market } from "./market";
import { LatencyMeter, wallNowMs } from "./latency";
import {
  MessageType,
  ProtocolViolation,
  SUBPROTOCOL,
  SubscriptionMode,
  TOKEN_SUBPROTOCOL_PREFIX,
  closeName,
  decodeFrame,
  encodeAuthenticate,
  encodePing,
  encodeSnapshotRequest,
  encodeSubscribe,
  encodeUnsubscribe,
  errorName,
  noticeName,
  type ErrorMessage,
  type Heartbeat,
  type ServerMessage,
  type Welcome,
} from "./protocol";

export type ConnectionState = "connecting" | "authenticating" | "open" | "reconnecting" | "stopped";

export interface SubscriptionSpec {
  patterns: string[];
  mode: SubscriptionMode;
  maxRateMs: number;
  maxLagMs: number;
}

export interface Subscription extends SubscriptionSpec {
  /** Stable for the page's lifetime; the server id changes on every reconnect. */
  key: number;
  /** Request id of this subscription's Subscribe on the current session (its subscription id). */
  serverId: number | null;
  status: "pending" | "active" | "failed" | "removing";
  /** Names the last SubscribeAck listed (patterns expanded). */
  symbols: string[];
  /** The mode the server granted (a full subscription may degrade to conflated, Notice 1). */
  effectiveMode: number | null;
  error: { code: number; text: string } | null;
}

export type LogKind = "error" | "notice" | "close" | "info";

export interface LogEntry {
  at: Date;
  kind: LogKind;
  code: number | null;
  title: string;
  text: string;
}

export interface ClientOptions {
  url: string;
  /** A JWT to offer in the handshake as `marketstream.token.<jwt>` (§1.3 way 1). */
  token: string | null;
  /** Where a development token can be had when Welcome asks for authentication. */
  devTokenUrl: string;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];
const PING_INTERVAL_MS = 2000;

export class MarketClient {
  state: ConnectionState = "stopped";
  welcome: Welcome | null = null;
  subject: string | null = null;
  heartbeat: Heartbeat | null = null;
  heartbeatAt = 0;
  lastClose: { code: number; reason: string; name: string; at: Date } | null = null;
  /** Sessions opened after the first (server restarts, drops, manual reconnects). */
  reconnects = 0;
  /** Next reconnect attempt (performance.now()), while reconnecting. */
  retryAt = 0;
  readonly subscriptions: Subscription[] = [];
  readonly log: LogEntry[] = [];
  readonly latency = new LatencyMeter();
  /** Arrival time of the oldest update not yet painted (for the paint-delay figure). */
  unpaintedSince: number | null = null;
  framesReceived = 0;
  bytesReceived = 0;
  /** Main-thread milliseconds spent decoding and applying frames (for the load figure). */
  handlerMs = 0;
  /** Bumped when anything the side panels show changes. */
  version = 0;

  private socket: WebSocket | null = null;
  private attempt = 0;
  private sessions = 0;
  private nextRequestId = 1;
  private nextKey = 1;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private authTimer: number | undefined;
  private readonly pings = new Map<number, number>();
  private readonly byServerId = new Map<number, Subscription>();
  private readonly pendingUnsubscribe = new Map<number, Subscription>();
  private readonly snapshotRequested = new Set<string>();
  private token: string | null;
  private reconnectNow = false;

  constructor(
    private readonly options: ClientOptions,
    private readonly market: Market,
  ) {
    this.token = options.token;
    market.onGap = (name) => this.requestSnapshot(name);
  }

  start(): void {
    if (this.socket) return;
    this.open();
  }

  /** Drops the socket and reconnects at once, resuming: what a network blip does. */
  dropAndResume(): void {
    if (!this.socket) return;
    this.reconnectNow = true;
    this.socket.close(1000, "client reconnect");
  }

  subscribe(spec: SubscriptionSpec): Subscription {
    const sub: Subscription = { ...spec, key: this.nextKey++, serverId: null, status: "pending", symbols: [], effectiveMode: null, error: null };
    this.subscriptions.push(sub);
    if (this.state === "open") this.sendSubscribe(sub, false);
    this.changed();
    return sub;
  }

  unsubscribe(key: number): void {
    const sub = this.subscriptions.find((s) => s.key === key);
    if (!sub) return;
    if (this.state === "open" && sub.status === "active" && sub.serverId !== null) {
      sub.status = "removing";
      const requestId = this.requestId();
      this.pendingUnsubscribe.set(requestId, sub);
      this.send(encodeUnsubscribe(requestId, sub.serverId));
    } else {
      this.forget(sub);
    }
    this.changed();
  }

  // ---- socket lifecycle ----------------------------------------------------------------------

  private open(): void {
    this.setState(this.sessions === 0 ? "connecting" : "reconnecting");
    const protocols = [SUBPROTOCOL];
    if (this.token) protocols.push(TOKEN_SUBPROTOCOL_PREFIX + this.token);
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.options.url, protocols);
    } catch (e) {
      this.addLog("error", null, "Cannot open WebSocket", (e as Error).message);
      this.scheduleReconnect(null);
      return;
    }
    ws.binaryType = "arraybuffer";
    this.socket = ws;
    ws.onmessage = (ev) => this.onFrame(ev);
    ws.onclose = (ev) => this.onClose(ws, ev);
    // onerror carries no detail in browsers (by design); onclose follows with the code.
  }

  private onClose(ws: WebSocket, ev: CloseEvent): void {
    if (this.socket !== ws) return;
    this.socket = null;
    window.clearInterval(this.pingTimer);
    window.clearTimeout(this.authTimer);
    this.pings.clear();
    const hadSession = this.welcome !== null;
    this.welcome = null;
    this.lastClose = { code: ev.code, reason: ev.reason, name: closeName(ev.code), at: new Date() };
    const hint = hadSession
      ? ev.reason || ""
      : "handshake refused or server unreachable (HTTP 400/401/403 are shown in the network tab: subprotocol, token, origin)";
    this.addLog("close", ev.code, `Closed ${ev.code} ${closeName(ev.code)}`, hint);
    for (const sub of this.subscriptions) {
      sub.serverId = null;
      if (sub.status === "active") sub.status = "pending";
    }
    this.byServerId.clear();
    this.pendingUnsubscribe.clear();
    for (const sub of this.subscriptions.filter((s) => s.status === "removing")) this.forget(sub);
    if (ev.code === 4001 || ev.code === 4002) {
      // §6: fix the cause first. The token was rejected or ran out; get a fresh one next time.
      this.token = null;
    }
    this.scheduleReconnect(ev.code);
  }

  private scheduleReconnect(code: number | null): void {
    if (this.reconnectNow) {
      this.reconnectNow = false;
      this.attempt = 0;
      this.open();
      return;
    }
    // 1008 means the client misbehaved: retrying fast would only repeat it.
    const floor = code === 1008 || code === 4004 ? 3 : 0;
    const step = Math.min(BACKOFF_MS.length - 1, Math.max(this.attempt, floor));
    const delay = BACKOFF_MS[step] * (0.8 + Math.random() * 0.4);
    this.attempt++;
    this.retryAt = performance.now() + delay;
    this.setState("reconnecting");
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.open(), delay);
  }

  private onFrame(ev: MessageEvent): void {
    const arrival = wallNowMs();
    const now = performance.now();
    if (typeof ev.data === "string") {
      this.addLog("error", null, "Text frame", "the protocol is binary only (§1.1)");
      return;
    }
    const data = ev.data as ArrayBuffer;
    this.framesReceived++;
    this.bytesReceived += data.byteLength;
    let messages: ServerMessage[];
    try {
      messages = decodeFrame(data);
    } catch (e) {
      const text = e instanceof ProtocolViolation ? e.message : String(e);
      this.addLog("error", null, "Undecodable frame", text);
      return;
    }
    for (const m of messages) this.dispatch(m, arrival, now);
    this.handlerMs += performance.now() - now;
  }

  private dispatch(m: ServerMessage, arrival: number, now: number): void {
    switch (m.type) {
      case MessageType.Update:
        if (this.market.applyUpdate(m, now)) this.tickArrived(arrival, now, m.serverTimeNs);
        break;
      case MessageType.Merged:
        if (this.market.applyMerged(m, now)) this.tickArrived(arrival, now, m.serverTimeNs);
        break;
      case MessageType.Snapshot:
      case MessageType.Reset:
        this.snapshotRequested.delete(m.definition.name);
        this.market.applySnapshot(m, now);
        if (this.unpaintedSince === null) this.unpaintedSince = now;
        break;
      case MessageType.Heartbeat:
        this.heartbeat = m;
        this.heartbeatAt = now;
        this.changed();
        break;
      case MessageType.Welcome:
        this.onWelcome(m);
        break;
      case MessageType.Authenticated:
        window.clearTimeout(this.authTimer);
        this.subject = m.subject;
        this.addLog("info", null, "Authenticated", `as ${m.subject}`);
        if (m.requestId !== 0) this.sessionReady();
        break;
      case MessageType.SubscribeAck:
        this.onSubscribeAck(m.requestId, m.mode, m.symbols.map((d) => this.market.define(d).name));
        break;
      case MessageType.UnsubscribeAck: {
        const sub = this.pendingUnsubscribe.get(m.requestId);
        this.pendingUnsubscribe.delete(m.requestId);
        if (sub) this.forget(sub);
        break;
      }
      case MessageType.Pong: {
        const sent = this.pings.get(m.requestId);
        this.pings.delete(m.requestId);
        if (sent !== undefined) this.latency.recordPong(sent, arrival, m.serverTimeNs);
        break;
      }
      case MessageType.Notice: {
        const sub = this.byServerId.get(m.subscriptionId);
        if (m.code === 1 && sub) sub.effectiveMode = SubscriptionMode.Conflated;
        const scope = m.subscriptionId === 0 ? "session" : `subscription ${sub ? sub.patterns.join(",") : m.subscriptionId}`;
        this.addLog("notice", m.code, `Notice ${m.code} ${noticeName(m.code)}`, `${scope}: ${m.text} (value ${m.value})`);
        break;
      }
      case MessageType.Error:
        this.onError(m);
        break;
      case MessageType.IngestAck:
        break;
    }
  }

  private tickArrived(arrival: number, now: number, serverTimeNs: bigint): void {
    this.latency.recordTick(arrival, serverTimeNs);
    if (this.unpaintedSince === null) this.unpaintedSince = now;
  }

  private onWelcome(w: Welcome): void {
    this.welcome = w;
    this.subject = null;
    this.sessions++;
    if (this.sessions > 1) this.reconnects++;
    this.market.beginSession();
    window.clearInterval(this.pingTimer);
    this.pingTimer = window.setInterval(() => this.ping(), PING_INTERVAL_MS);
    this.ping();
    if (w.authDeadlineMs > 0) {
      this.setState("authenticating");
      void this.authenticate(w.authDeadlineMs);
    } else {
      this.sessionReady();
    }
  }

  /** §1.3 way 3: Welcome says a token is needed; a development token is fetched when there is none. */
  private async authenticate(deadlineMs: number): Promise<void> {
    const ws = this.socket;
    let token = this.token;
    if (!token) {
      try {
        token = await fetchDevToken(this.options.devTokenUrl);
      } catch (e) {
        this.addLog("error", 2000, "2000 AuthenticationRequired", `the server requires a token within ${deadlineMs} ms and none could be had: ${(e as Error).message}. Open the page with ?token=<jwt>.`);
        return;
      }
    }
    if (this.socket !== ws || !ws) return;
    this.token = token;
    this.send(encodeAuthenticate(this.requestId(), token));
  }

  /** Authenticated (or anonymous): (re)subscribe everything, resuming where we were. */
  private sessionReady(): void {
    this.setState("open");
    const resuming = this.sessions > 1;
    for (const sub of this.subscriptions) {
      if (sub.status === "pending") this.sendSubscribe(sub, resuming);
    }
  }

  private sendSubscribe(sub: Subscription, resume: boolean): void {
    const requestId = this.requestId();
    sub.serverId = requestId;
    sub.status = "pending";
    this.byServerId.set(requestId, sub);
    // Only names can be resumed (ids change per session, §2.1); a pattern resumes the names its
    // last acknowledgement expanded to.
    const positions = resume ? this.market.positions(sub.symbols) : [];
    if (positions.length > 0) this.market.expectResume(positions);
    this.send(encodeSubscribe(requestId, sub.patterns, sub.mode, sub.maxRateMs, sub.maxLagMs, positions));
  }

  private onSubscribeAck(requestId: number, mode: number, names: string[]): void {
    const sub = this.byServerId.get(requestId);
    if (!sub) return;
    sub.status = "active";
    sub.effectiveMode = mode;
    sub.error = null;
    // Names a pattern no longer covers (after a restart with another universe) leave the board.
    const dropped = sub.symbols.filter((n) => !names.includes(n));
    sub.symbols = names;
    for (const name of dropped) if (!this.coveredElsewhere(name, sub)) this.market.remove(name);
    this.attempt = 0;
    this.changed();
  }

  private onError(e: ErrorMessage): void {
    const sub = this.byServerId.get(e.requestId);
    let context = "";
    if (sub && sub.status === "pending") {
      this.market.cancelResume(sub.symbols);
      sub.status = "failed";
      sub.error = { code: e.code, text: e.text };
      sub.serverId = null;
      this.byServerId.delete(e.requestId);
      context = ` (subscribe ${sub.patterns.join(", ")})`;
    }
    const unsub = this.pendingUnsubscribe.get(e.requestId);
    if (unsub) {
      this.pendingUnsubscribe.delete(e.requestId);
      this.forget(unsub);
    }
    this.addLog("error", e.code, `Error ${e.code} ${errorName(e.code)}`, `${e.text}${context}${e.requestId ? ` · request ${e.requestId}` : ""}`);
  }

  private forget(sub: Subscription): void {
    const i = this.subscriptions.indexOf(sub);
    if (i >= 0) this.subscriptions.splice(i, 1);
    if (sub.serverId !== null) this.byServerId.delete(sub.serverId);
    for (const name of sub.symbols) if (!this.coveredElsewhere(name, sub)) this.market.remove(name);
    this.changed();
  }

  private coveredElsewhere(name: string, except: Subscription): boolean {
    return this.subscriptions.some((s) => s !== except && s.status !== "failed" && s.symbols.includes(name));
  }

  /** After a gap, one in-band snapshot per symbol (§4.4) until it arrives. */
  private requestSnapshot(name: string): void {
    if (this.state !== "open" || this.snapshotRequested.has(name)) return;
    this.snapshotRequested.add(name);
    this.send(encodeSnapshotRequest(this.requestId(), name));
  }

  private ping(): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    const id = this.requestId();
    const sent = wallNowMs();
    this.pings.set(id, sent);
    if (this.pings.size > 16) this.pings.delete(this.pings.keys().next().value as number);
    this.send(encodePing(id, BigInt(Math.round(sent * 1000)) * 1000n));
  }

  private send(bytes: Uint8Array): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(bytes);
  }

  private requestId(): number {
    return this.nextRequestId++;
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.changed();
  }

  private addLog(kind: LogKind, code: number | null, title: string, text: string): void {
    this.log.unshift({ at: new Date(), kind, code, title, text });
    if (this.log.length > 50) this.log.length = 50;
    this.changed();
  }

  private changed(): void {
    this.version++;
  }
}

/** POST /api/dev/token (development servers in anonymous mode only). */
async function fetchDevToken(url: string): Promise<string> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ subject: "web", role: "subscriber" }),
    credentials: "same-origin",
  });
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  const body = (await response.text()).trim();
  if (body.startsWith("{")) {
    const json = JSON.parse(body) as Record<string, unknown>;
    const token = json.token ?? json.access_token ?? json.accessToken;
    if (typeof token !== "string" || token.length === 0) throw new Error(`${url} returned no token`);
    return token;
  }
  if (body.length === 0) throw new Error(`${url} returned no token`);
  return body;
}
