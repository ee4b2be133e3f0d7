import net from "node:net";
import type { IpAllowList } from "./ipAllowList.js";
import { unmapIpv4 } from "./ipAllowList.js";

/** Where a request really came from, once trusted proxy headers are applied. */
export interface ClientOrigin {
  /** `REMOTE_ADDR`: the first untrusted hop, walking the chain from the nearest proxy outwards (absent: the peer itself). */
  remoteAddr?: string;
  /** `REMOTE_PORT` with `remoteAddr`: as the proxy reported it (`Forwarded: for="[::1]:4711"`), `"0"` when unknown. */
  remotePort?: string;
  /** `tsgi.url_scheme` the client used, when a trusted proxy said so. */
  scheme?: "http" | "https";
}

/** Thrown when trusted scheme headers disagree (Gunicorn's "Contradictory scheme headers"): answered with 400. */
export class ContradictorySchemeHeadersError extends Error {
  constructor() {
    super("Contradictory scheme headers: X-Forwarded-Proto, X-Forwarded-Protocol, X-Forwarded-Ssl and Forwarded disagree");
    this.name = "ContradictorySchemeHeadersError";
  }
}

/** The request headers a proxy sets, by lower-case name; repeated fields already joined with ", ". */
export interface ProxyHeaders {
  forwarded?: string;
  "x-forwarded-for"?: string;
  "x-forwarded-proto"?: string;
  "x-forwarded-protocol"?: string;
  "x-forwarded-ssl"?: string;
}

/**
 * Picks the proxy headers out of a flat `[name, value, ...]` list; undefined (the common case
 * without a proxy) when there are none. Cheap: a length and first-letter test per field.
 *
 * @example
 * proxyHeadersOf(["Host", "a", "X-Forwarded-For", "203.0.113.7"]); // { "x-forwarded-for": "203.0.113.7" }
 */
export function proxyHeadersOf(rawHeaders: readonly string[]): ProxyHeaders | undefined {
  let found: Record<string, string> | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const length = name.length;
    if (length !== 9 && length !== 15 && length !== 17 && length !== 20) continue;
    const first = name.charCodeAt(0) | 0x20;
    if (first !== 0x78 /* x */ && first !== 0x66 /* f */) continue;
    const lower = name.toLowerCase();
    if (lower !== "forwarded" && !PROXY_HEADER_NAMES.has(lower)) continue;
    found ??= {};
    const value = rawHeaders[i + 1] as string;
    found[lower] = found[lower] === undefined ? value : `${found[lower]}, ${value}`;
  }
  return found;
}

const PROXY_HEADER_NAMES: ReadonlySet<string> = new Set(["x-forwarded-for", "x-forwarded-proto", "x-forwarded-protocol", "x-forwarded-ssl"]);

interface Hop {
  address: string;
  port?: string;
  proto?: string;
}

/**
 * Applies `Forwarded` (RFC 7239) or `X-Forwarded-For`/`-Proto` when the peer is trusted: the
 * client is the first hop, from the right, not in `trusted` (so a client cannot spoof past a
 * proxy that appends). Returns undefined when the peer is untrusted or sent no such headers.
 *
 * @example
 * const origin = resolveClientOrigin("127.0.0.1", { "x-forwarded-for": "203.0.113.7" }, parseIpAllowList("127.0.0.1"));
 * origin?.remoteAddr; // "203.0.113.7"
 */
export function resolveClientOrigin(
  peerAddress: string | undefined,
  headers: ProxyHeaders,
  trusted: IpAllowList,
): ClientOrigin | undefined {
  const anyProxyHeader = headers.forwarded ?? headers["x-forwarded-for"] ?? headers["x-forwarded-proto"] ?? headers["x-forwarded-protocol"] ?? headers["x-forwarded-ssl"];
  if (anyProxyHeader === undefined || !trusted.allows(peerAddress)) return undefined;
  const forwarded = headers.forwarded;
  const hops = forwarded !== undefined ? parseForwarded(forwarded) : parseXForwardedFor(headers["x-forwarded-for"]);
  const scheme = resolveScheme(headers, forwarded !== undefined ? hops : []);
  if (hops.length === 0 && scheme === undefined) return undefined;

  let current = unmapIpv4(peerAddress ?? "");
  let client: Hop | undefined;
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trusted.allows(current)) break;
    const hop = hops[i] as Hop;
    if (net.isIP(hop.address) === 0) break; // "unknown" or an obfuscated name: the chain cannot be followed further
    client = hop;
    current = hop.address;
  }
  const origin: ClientOrigin = {};
  if (client !== undefined) {
    origin.remoteAddr = client.address;
    origin.remotePort = client.port ?? "0";
  }
  if (scheme !== undefined) origin.scheme = scheme;
  return origin;
}

function parseXForwardedFor(value: string | undefined): Hop[] {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => ({ address: unmapIpv4(stripPort(part)) }));
}

/** `for=192.0.2.60;proto=http, for="[2001:db8::17]:4711"` into hops, nearest proxy last. */
function parseForwarded(value: string): Hop[] {
  const hops: Hop[] = [];
  for (const element of splitOutsideQuotes(value, ",")) {
    const hop: Hop = { address: "" };
    for (const pair of splitOutsideQuotes(element, ";")) {
      const eq = pair.indexOf("=");
      if (eq === -1) continue;
      const key = pair.slice(0, eq).trim().toLowerCase();
      const raw = unquote(pair.slice(eq + 1).trim());
      if (key === "for") {
        const { address, port } = splitHostPort(raw);
        hop.address = unmapIpv4(address);
        if (port !== undefined) hop.port = port;
      } else if (key === "proto") {
        hop.proto = raw.toLowerCase();
      }
    }
    hops.push(hop);
  }
  return hops;
}

function resolveScheme(headers: ProxyHeaders, forwardedHops: Hop[]): "http" | "https" | undefined {
  const votes = new Set<"http" | "https">();
  const proto = headers["x-forwarded-proto"]?.split(",")[0]?.trim();
  if (proto) votes.add(asScheme(proto) ?? "http");
  const protocol = headers["x-forwarded-protocol"]?.trim().toLowerCase();
  if (protocol) votes.add(protocol === "ssl" || protocol === "https" ? "https" : "http");
  const ssl = headers["x-forwarded-ssl"]?.trim().toLowerCase();
  if (ssl) votes.add(ssl === "on" ? "https" : "http");
  const forwardedProto = forwardedHops[0]?.proto;
  if (forwardedProto) votes.add(asScheme(forwardedProto) ?? "http");
  if (votes.size > 1) throw new ContradictorySchemeHeadersError();
  return votes.values().next().value;
}

function asScheme(value: string): "http" | "https" | undefined {
  const lower = value.toLowerCase();
  return lower === "https" || lower === "http" ? lower : undefined;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '"' && text[i - 1] !== "\\") quoted = !quoted;
    if (char === separator && !quoted) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, "$1") : value;
}

function splitHostPort(value: string): { address: string; port?: string } {
  if (value.startsWith("[")) {
    const close = value.indexOf("]");
    const port = value.slice(close + 1).startsWith(":") ? value.slice(close + 2) : undefined;
    return port !== undefined && /^\d+$/.test(port) ? { address: value.slice(1, close), port } : { address: value.slice(1, close === -1 ? undefined : close) };
  }
  const colon = value.indexOf(":");
  if (colon !== -1 && value.indexOf(":", colon + 1) === -1) {
    const port = value.slice(colon + 1);
    return /^\d+$/.test(port) ? { address: value.slice(0, colon), port } : { address: value.slice(0, colon) };
  }
  return { address: value };
}

function stripPort(value: string): string {
  return splitHostPort(value).address;
}
