// The marketstream.v1 wire contract (docs/protocol.md) for the browser: decoding server frames
// into typed messages and encoding client requests. MessagePack itself is @msgpack/msgpack's job;
// this module only knows the array layouts `[type, …]` of §4.

import { Decoder, Encoder } from "@msgpack/msgpack";

export const SUBPROTOCOL = "marketstream.v1";
export const TOKEN_SUBPROTOCOL_PREFIX = "marketstream.token.";

/** Message type codes (§4). */
export const MessageType = {
  Authenticate: 1,
  Subscribe: 2,
  Unsubscribe: 3,
  SnapshotRequest: 4,
  Ping: 5,
  Welcome: 16,
  Authenticated: 17,
  SubscribeAck: 18,
  UnsubscribeAck: 19,
  Snapshot: 20,
  Update: 21,
  Merged: 22,
  Reset: 23,
  Batch: 24,
  Heartbeat: 25,
  Notice: 26,
  Pong: 27,
  Error: 28,
  IngestAck: 29,
} as const;

export const enum SubscriptionMode {
  Conflated = 0,
  Full = 1,
}

/** §2.2 */
export interface SymbolDefinition {
  id: number;
  name: string;
  priceScale: number;
  sizeScale: number;
  currency: string;
  venue: string;
}

/** Best bid/ask; every price and size is an exact int64 mantissa (§2.3). */
export interface Quote {
  bidPrice: bigint;
  bidSize: bigint;
  askPrice: bigint;
  askSize: bigint;
}

/** Snapshot/Reset trade group (§4.13). */
export interface SnapshotTrade {
  lastPrice: bigint;
  lastSize: bigint;
  lastSide: number;
  open: bigint;
  high: bigint;
  low: bigint;
  volume: bigint;
  tradeCount: bigint;
}

/** Merged trade group (§4.7). */
export interface MergedTrade {
  tradeCount: bigint;
  lastPrice: bigint;
  lastSize: bigint;
  lastSide: number;
  volume: bigint;
  high: bigint;
  low: bigint;
}

export interface Welcome {
  type: typeof MessageType.Welcome;
  version: number;
  sessionId: string;
  serverTimeNs: bigint;
  authDeadlineMs: number;
  maxMessageBytes: number;
  maxSubscriptions: number;
  maxMessagesPerSecond: number;
  maxFrameBytes: number;
  heartbeatIntervalMs: number;
}

export interface Authenticated {
  type: typeof MessageType.Authenticated;
  requestId: number;
  subject: string;
  expiresAtNs: bigint;
}

export interface SubscribeAck {
  type: typeof MessageType.SubscribeAck;
  requestId: number;
  mode: number;
  symbols: SymbolDefinition[];
}

export interface UnsubscribeAck {
  type: typeof MessageType.UnsubscribeAck;
  requestId: number;
  subscriptionId: number;
}

export interface Snapshot {
  type: typeof MessageType.Snapshot;
  requestId: number;
  definition: SymbolDefinition;
  epoch: bigint;
  seq: bigint;
  quote: Quote | null;
  trade: SnapshotTrade | null;
  exchangeTimeNs: bigint;
  serverTimeNs: bigint;
}

export interface Reset extends Omit<Snapshot, "type"> {
  type: typeof MessageType.Reset;
  reason: number;
}

export interface Update {
  type: typeof MessageType.Update;
  symbolId: number;
  epoch: bigint;
  seq: bigint;
  /** 1 quote, 2 trade */
  kind: number;
  a: bigint;
  b: bigint;
  c: bigint;
  d: bigint;
  exchangeTimeNs: bigint;
  receiveTimeNs: bigint;
  serverTimeNs: bigint;
}

export interface Merged {
  type: typeof MessageType.Merged;
  symbolId: number;
  epoch: bigint;
  firstSeq: bigint;
  lastSeq: bigint;
  count: bigint;
  quote: Quote | null;
  trade: MergedTrade | null;
  exchangeTimeNs: bigint;
  receiveTimeNs: bigint;
  serverTimeNs: bigint;
}

export interface Heartbeat {
  type: typeof MessageType.Heartbeat;
  serverTimeNs: bigint;
  queuedBytes: number;
  queuedUpdates: number;
  lagMs: number;
  mergedCount: bigint;
}

export interface Notice {
  type: typeof MessageType.Notice;
  code: number;
  subscriptionId: number;
  value: bigint;
  text: string;
}

export interface Pong {
  type: typeof MessageType.Pong;
  requestId: number;
  clientTimeNs: bigint;
  serverTimeNs: bigint;
}

export interface ErrorMessage {
  type: typeof MessageType.Error;
  requestId: number;
  code: number;
  text: string;
}

export interface IngestAck {
  type: typeof MessageType.IngestAck;
  requestId: number;
  accepted: number;
  /** §4.20: each refused tick as [index in the IngestTicks message, reject code (§5.1)]. */
  rejected: [number, number][];
}

export type ServerMessage =
  | Welcome
  | Authenticated
  | SubscribeAck
  | UnsubscribeAck
  | Snapshot
  | Reset
  | Update
  | Merged
  | Heartbeat
  | Notice
  | Pong
  | ErrorMessage
  | IngestAck;

/** A server frame that does not follow §3/§4. */
export class ProtocolViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolViolation";
  }
}

// §7: clients apply the structural checks with the larger server-frame limits. @msgpack/msgpack
// enforces lengths; maps, binaries and extensions never occur in v1, so they are refused outright.
const decoder = new Decoder({
  useBigInt64: true,
  maxStrLength: 64 * 1024,
  maxArrayLength: 1_048_576,
  maxMapLength: 0,
  maxBinLength: 0,
  maxExtLength: 0,
});
const encoder = new Encoder({ useBigInt64: true });

export const MAX_SERVER_FRAME_BYTES = 16 * 1024 * 1024;

/**
 * Decodes one WebSocket binary message into its server messages, flattening a Batch (§4.8) so the
 * caller sees the stream in order. Throws {@link ProtocolViolation} on anything malformed.
 */
export function decodeFrame(data: ArrayBuffer | Uint8Array): ServerMessage[] {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.byteLength > MAX_SERVER_FRAME_BYTES) {
    throw new ProtocolViolation(`frame of ${bytes.byteLength} bytes exceeds 16 MiB`);
  }
  let value: unknown;
  try {
    // decode() rejects trailing bytes after the value, as §3 requires.
    value = decoder.decode(bytes);
  } catch (e) {
    throw new ProtocolViolation(`malformed MessagePack: ${(e as Error).message}`);
  }
  const top = array(value, "message");
  if (int(top[0], "type") === MessageType.Batch) {
    const items = array(top[1], "batch");
    const out: ServerMessage[] = [];
    for (const item of items) {
      const m = array(item, "batch element");
      if (int(m[0], "type") === MessageType.Batch) {
        throw new ProtocolViolation("a batch never contains a batch");
      }
      const parsed = parseMessage(m);
      if (parsed) out.push(parsed);
    }
    return out;
  }
  const parsed = parseMessage(top);
  return parsed ? [parsed] : [];
}

/** Parses one `[type, …]` array; null for a type this client does not know (forward compatible). */
export function parseMessage(m: unknown[]): ServerMessage | null {
  const type = int(m[0], "type");
  switch (type) {
    case MessageType.Welcome:
      need(m, 10, "Welcome");
      return {
        type,
        version: int(m[1], "version"),
        sessionId: str(m[2], "sessionId"),
        serverTimeNs: big(m[3], "serverTimeNs"),
        authDeadlineMs: int(m[4], "authDeadlineMs"),
        maxMessageBytes: int(m[5], "maxMessageBytes"),
        maxSubscriptions: int(m[6], "maxSubscriptions"),
        maxMessagesPerSecond: int(m[7], "maxMessagesPerSecond"),
        maxFrameBytes: int(m[8], "maxFrameBytes"),
        heartbeatIntervalMs: int(m[9], "heartbeatIntervalMs"),
      };
    case MessageType.Authenticated:
      need(m, 4, "Authenticated");
      return { type, requestId: int(m[1], "requestId"), subject: str(m[2], "subject"), expiresAtNs: big(m[3], "expiresAtNs") };
    case MessageType.SubscribeAck:
      need(m, 4, "SubscribeAck");
      return {
        type,
        requestId: int(m[1], "requestId"),
        mode: int(m[2], "mode"),
        symbols: array(m[3], "definitions").map(definition),
      };
    case MessageType.UnsubscribeAck:
      need(m, 3, "UnsubscribeAck");
      return { type, requestId: int(m[1], "requestId"), subscriptionId: int(m[2], "subscriptionId") };
    case MessageType.Snapshot:
      need(m, 9, "Snapshot");
      return { type, requestId: int(m[1], "requestId"), ...snapshotBody(m, 2) };
    case MessageType.Reset:
      need(m, 10, "Reset");
      return { type, requestId: int(m[1], "requestId"), reason: int(m[2], "reason"), ...snapshotBody(m, 3) };
    case MessageType.Update:
      need(m, 12, "Update");
      return {
        type,
        symbolId: int(m[1], "symbolId"),
        epoch: big(m[2], "epoch"),
        seq: big(m[3], "seq"),
        kind: int(m[4], "kind"),
        a: big(m[5], "a"),
        b: big(m[6], "b"),
        c: big(m[7], "c"),
        d: big(m[8], "d"),
        exchangeTimeNs: big(m[9], "exchangeTimeNs"),
        receiveTimeNs: big(m[10], "receiveTimeNs"),
        serverTimeNs: big(m[11], "serverTimeNs"),
      };
    case MessageType.Merged:
      need(m, 11, "Merged");
      return {
        type,
        symbolId: int(m[1], "symbolId"),
        epoch: big(m[2], "epoch"),
        firstSeq: big(m[3], "firstSeq"),
        lastSeq: big(m[4], "lastSeq"),
        count: big(m[5], "count"),
        quote: m[6] === null ? null : quote(m[6]),
        trade: m[7] === null ? null : mergedTrade(m[7]),
        exchangeTimeNs: big(m[8], "exchangeTimeNs"),
        receiveTimeNs: big(m[9], "receiveTimeNs"),
        serverTimeNs: big(m[10], "serverTimeNs"),
      };
    case MessageType.Heartbeat:
      need(m, 6, "Heartbeat");
      return {
        type,
        serverTimeNs: big(m[1], "serverTimeNs"),
        queuedBytes: int(m[2], "queuedBytes"),
        queuedUpdates: int(m[3], "queuedUpdates"),
        lagMs: int(m[4], "lagMs"),
        mergedCount: big(m[5], "mergedCount"),
      };
    case MessageType.Notice:
      need(m, 5, "Notice");
      return { type, code: int(m[1], "code"), subscriptionId: int(m[2], "subscriptionId"), value: big(m[3], "value"), text: str(m[4], "text") };
    case MessageType.Pong:
      need(m, 4, "Pong");
      return { type, requestId: int(m[1], "requestId"), clientTimeNs: big(m[2], "clientTimeNs"), serverTimeNs: big(m[3], "serverTimeNs") };
    case MessageType.Error:
      need(m, 4, "Error");
      return { type, requestId: int(m[1], "requestId"), code: int(m[2], "code"), text: str(m[3], "text") };
    case MessageType.IngestAck:
      need(m, 4, "IngestAck");
      return {
        type,
        requestId: int(m[1], "requestId"),
        accepted: int(m[2], "accepted"),
        rejected: array(m[3], "rejected").map((r) => {
          const entry = array(r, "reject");
          return [int(entry[0], "index"), int(entry[1], "code")] as [number, number];
        }),
      };
    default:
      return null;
  }
}

function snapshotBody(m: unknown[], at: number): Omit<Snapshot, "type" | "requestId"> {
  return {
    definition: definition(m[at]),
    epoch: big(m[at + 1], "epoch"),
    seq: big(m[at + 2], "seq"),
    quote: m[at + 3] === null ? null : quote(m[at + 3]),
    trade: m[at + 4] === null ? null : snapshotTrade(m[at + 4]),
    exchangeTimeNs: big(m[at + 5], "exchangeTimeNs"),
    serverTimeNs: big(m[at + 6], "serverTimeNs"),
  };
}

function definition(v: unknown): SymbolDefinition {
  const d = array(v, "definition");
  need(d, 6, "definition");
  return {
    id: int(d[0], "id"),
    name: str(d[1], "name"),
    priceScale: scale(d[2], "priceScale"),
    sizeScale: scale(d[3], "sizeScale"),
    currency: str(d[4], "currency"),
    venue: str(d[5], "venue"),
  };
}

function quote(v: unknown): Quote {
  const q = array(v, "quote");
  need(q, 4, "quote");
  return { bidPrice: big(q[0], "bidPrice"), bidSize: big(q[1], "bidSize"), askPrice: big(q[2], "askPrice"), askSize: big(q[3], "askSize") };
}

function snapshotTrade(v: unknown): SnapshotTrade {
  const t = array(v, "trade");
  need(t, 8, "snapshot trade");
  return {
    lastPrice: big(t[0], "lastPrice"),
    lastSize: big(t[1], "lastSize"),
    lastSide: int(t[2], "lastSide"),
    open: big(t[3], "open"),
    high: big(t[4], "high"),
    low: big(t[5], "low"),
    volume: big(t[6], "volume"),
    tradeCount: big(t[7], "tradeCount"),
  };
}

function mergedTrade(v: unknown): MergedTrade {
  const t = array(v, "trade");
  need(t, 7, "merged trade");
  return {
    tradeCount: big(t[0], "tradeCount"),
    lastPrice: big(t[1], "lastPrice"),
    lastSize: big(t[2], "lastSize"),
    lastSide: int(t[3], "lastSide"),
    volume: big(t[4], "volume"),
    high: big(t[5], "high"),
    low: big(t[6], "low"),
  };
}

// ---- field readers: each checks the type the spec requires -------------------------------------

/** Fields may be appended within v1 (§3), so only a minimum length is required. */
function need(m: unknown[], min: number, what: string): void {
  if (m.length < min) throw new ProtocolViolation(`${what} has ${m.length} elements, expected at least ${min}`);
}

function array(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new ProtocolViolation(`${what} is not an array`);
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== "string") throw new ProtocolViolation(`${what} is not a string`);
  return v;
}

/** A small integer field (ids, codes, counts that fit 2^53): arrives as number, or bigint if int64-encoded. */
function int(v: unknown, what: string): number {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (typeof v === "bigint" && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(v);
  throw new ProtocolViolation(`${what} is not an integer`);
}

/** A 64-bit integer field (prices, sizes, sequences, timestamps): always kept as bigint so nothing rounds. */
function big(v: unknown, what: string): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  throw new ProtocolViolation(`${what} is not an integer`);
}

function scale(v: unknown, what: string): number {
  const s = int(v, what);
  if (s < 0 || s > 9) throw new ProtocolViolation(`${what} ${s} is outside 0–9`);
  return s;
}

// ---- client → server (§4.1–4.5) ----------------------------------------------------------------

/** A resume position `[name, epoch, seq]` (§2.4). */
export type ResumePosition = [name: string, epoch: bigint, seq: bigint];

export function encodeAuthenticate(requestId: number, token: string): Uint8Array {
  return encoder.encode([MessageType.Authenticate, requestId, token]);
}

export function encodeSubscribe(
  requestId: number,
  symbols: string[],
  mode: SubscriptionMode,
  maxRateMs: number,
  maxLagMs: number,
  resume: ResumePosition[],
): Uint8Array {
  const positions = resume.map(([name, epoch, seq]) => [name, compactInt(epoch), compactInt(seq)]);
  return encoder.encode([MessageType.Subscribe, requestId, symbols, mode, maxRateMs, maxLagMs, positions]);
}

export function encodeUnsubscribe(requestId: number, subscriptionId: number): Uint8Array {
  return encoder.encode([MessageType.Unsubscribe, requestId, subscriptionId]);
}

export function encodeSnapshotRequest(requestId: number, symbol: string): Uint8Array {
  return encoder.encode([MessageType.SnapshotRequest, requestId, symbol]);
}

export function encodePing(requestId: number, clientTimeNs: bigint): Uint8Array {
  return encoder.encode([MessageType.Ping, requestId, compactInt(clientTimeNs)]);
}

/**
 * The encoder writes every bigint as a full 8-byte int64; a value that fits 32 bits goes as a
 * number so it gets MessagePack's smallest encoding, byte for byte what the C# writer produces (§3).
 * Not wider: with useBigInt64 the encoder writes a number beyond 32 bits as a float64, which is
 * not an integer on the wire.
 */
function compactInt(v: bigint): bigint | number {
  return v >= -0x80000000n && v <= 0xffffffffn ? Number(v) : v;
}

/**
 * A decoded message back in its wire shape `[type, …]` (typed fields are declared in spec order),
 * with int64 values as decimal strings: lets a test compare decoding with docs/protocol.md.
 */
export function toWireShape(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return value.toString();
  if (value === null || typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(toWireShape);
  if (typeof value === "object") return Object.values(value as object).map(toWireShape);
  return value;
}

// ---- codes (§5, §6, §4.14, §4.16) ---------------------------------------------------------------

const errorNames: Record<number, string> = {
  1000: "MalformedMessage",
  1001: "UnknownMessageType",
  1002: "InvalidField",
  1003: "MessageTooLarge",
  1004: "CollectionTooLarge",
  1005: "NestingTooDeep",
  1006: "InvalidSymbol",
  1007: "InvalidPattern",
  1008: "UnknownSymbol",
  1009: "DuplicateSubscription",
  1010: "UnknownSubscription",
  1011: "TextFrameNotSupported",
  1012: "InvalidRequestId",
  1013: "NotSubscribed",
  2000: "AuthenticationRequired",
  2001: "InvalidToken",
  2002: "TokenExpired",
  2003: "NotEntitled",
  2004: "AlreadyAuthenticated",
  2005: "IngestNotPermitted",
  3000: "TooManySubscriptions",
  3001: "RateLimited",
  3002: "TooManySymbols",
  4000: "InternalError",
  4001: "ServiceUnavailable",
  4002: "SnapshotUnavailable",
};

/** Unknown codes are named by range, as §5 asks. */
export function errorName(code: number): string {
  if (errorNames[code]) return errorNames[code];
  if (code >= 1000 && code < 2000) return "RequestError";
  if (code >= 2000 && code < 3000) return "AuthError";
  if (code >= 3000 && code < 4000) return "LimitError";
  if (code >= 4000 && code < 5000) return "ServerError";
  return "Error";
}

const closeNames: Record<number, string> = {
  1000: "Normal",
  1001: "GoingAway",
  1002: "ProtocolError",
  1003: "UnsupportedData",
  1005: "NoStatus",
  1006: "Abnormal (no close frame)",
  1008: "PolicyViolation",
  1009: "MessageTooBig",
  1011: "InternalError",
  4000: "SlowConsumer",
  4001: "AuthenticationFailed",
  4002: "TokenExpired",
  4003: "TooManyConnections",
  4004: "RateLimited",
  4005: "AuthenticationTimeout",
  4006: "IdleTimeout",
};

export function closeName(code: number): string {
  return closeNames[code] ?? "Unknown";
}

const noticeNames: Record<number, string> = {
  1: "DegradedToConflated",
  2: "MaxLagMerged",
  3: "SlowConsumer",
  4: "TokenExpiring",
};

export function noticeName(code: number): string {
  return noticeNames[code] ?? `Notice${code}`;
}

const resetReasons: Record<number, string> = {
  1: "history unavailable",
  2: "epoch changed",
  3: "unknown position",
};

export function resetReasonName(reason: number): string {
  return resetReasons[reason] ?? `reason ${reason}`;
}
