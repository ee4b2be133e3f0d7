import type { RequestHead } from "../environ/types.js";

/** Why an upgrade request cannot become a WebSocket (RFC 6455 §4.2.1-4.2.2): answered without calling the app. */
export interface HandshakeRejection {
  status: 400 | 426 | 503;
  reason: string;
  message: string;
  /** Extra headers of the refusal (`Sec-WebSocket-Version: 13` with 426). */
  headers: Array<[string, string]>;
}

const KEY = /^[+/0-9A-Za-z]{21}[AQgw]==$/;

/**
 * True when the head asks for a WebSocket: `GET` with `Upgrade: websocket` and `Connection: upgrade`
 * (RFC 6455 §4.2.1, tokens compared case-insensitively). Servers route such requests to `serveWebSocket`.
 *
 * @example
 * isWebSocketUpgrade({ method: "GET", target: "/ws", httpVersion: "1.1", rawHeaders: ["Upgrade", "websocket", "Connection", "Upgrade"] }); // true
 */
export function isWebSocketUpgrade(head: RequestHead): boolean {
  if (head.method !== "GET") return false;
  return hasToken(headerValues(head.rawHeaders, "upgrade"), "websocket") && hasToken(headerValues(head.rawHeaders, "connection"), "upgrade");
}

/**
 * The checks of RFC 6455 §4.2.1 a server makes before the app sees a WebSocket request:
 * HTTP/1.1, one valid `Sec-WebSocket-Key` (16 bytes in base64), and `Sec-WebSocket-Version: 13`
 * (otherwise 426 with the version the server speaks, §4.2.2).
 *
 * @example
 * checkWebSocketHandshake(head); // undefined when the handshake can go ahead
 */
export function checkWebSocketHandshake(head: RequestHead): HandshakeRejection | undefined {
  if (head.httpVersion !== "1.1") return bad("a WebSocket handshake needs HTTP/1.1 (RFC 6455 §4.1)");
  const keys = headerValues(head.rawHeaders, "sec-websocket-key");
  if (keys.length !== 1 || !KEY.test(keys[0] ?? "")) return bad("missing or invalid Sec-WebSocket-Key (16 random bytes in base64, RFC 6455 §4.1)");
  const versions = headerValues(head.rawHeaders, "sec-websocket-version");
  if (versions.length !== 1 || versions[0] !== "13") {
    return { status: 426, reason: "Upgrade Required", message: "this server speaks WebSocket version 13 (RFC 6455 §4.2.2)", headers: [["Sec-WebSocket-Version", "13"]] };
  }
  return undefined;
}

/**
 * The subprotocols a client offers in `Sec-WebSocket-Protocol`, in its order.
 *
 * @example
 * offeredSubprotocols(["Sec-WebSocket-Protocol", "chat, superchat"]); // ["chat", "superchat"]
 */
export function offeredSubprotocols(rawHeaders: readonly string[]): string[] {
  return headerValues(rawHeaders, "sec-websocket-protocol").flatMap((value) => value.split(",").map((token) => token.trim()).filter((token) => token !== ""));
}

/** The `headers` record `ws` reads, built from raw headers (names lower-cased, repeats joined with ", "). */
export function headerRecord(rawHeaders: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? "").toLowerCase();
    const value = rawHeaders[i + 1] ?? "";
    record[name] = record[name] === undefined ? value : `${record[name]}, ${value}`;
  }
  return record;
}

function bad(message: string): HandshakeRejection {
  return { status: 400, reason: "Bad Request", message, headers: [] };
}

function headerValues(rawHeaders: readonly string[], lowerName: string): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] ?? "").toLowerCase() === lowerName) values.push(rawHeaders[i + 1] ?? "");
  }
  return values;
}

function hasToken(values: readonly string[], token: string): boolean {
  return values.some((value) => value.split(",").some((part) => part.trim().toLowerCase() === token));
}
