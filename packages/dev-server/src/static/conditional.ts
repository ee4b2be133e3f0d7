import type { Stats } from "node:fs";
import { parseHttpDate } from "tsgi/helpers";

/** The validators of a file: its entity tag and last-modified date. */
export interface FileValidators {
  etag: string;
  lastModified: string;
  /** Modification time in whole seconds, as HTTP dates carry it. */
  mtimeSeconds: number;
}

/**
 * A strong ETag from size and modification time (what nginx does), and the Last-Modified date.
 *
 * @example
 * validatorsFor(await stat("site.css")).etag; // "\"1f4-18c3a9e5b10\""
 */
export function validatorsFor(stats: Stats): FileValidators {
  return {
    etag: `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`,
    lastModified: stats.mtime.toUTCString(),
    mtimeSeconds: Math.floor(stats.mtimeMs / 1000),
  };
}

/** The outcome of evaluating request preconditions (RFC 9110 §13.2.2). */
export type Precondition = "proceed" | "not-modified" | "failed";

/** The conditional request headers, as found in the environ. */
export interface ConditionalHeaders {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

/**
 * Evaluates the preconditions in RFC 9110's order: If-Match, If-Unmodified-Since,
 * If-None-Match, then If-Modified-Since (ignored when If-None-Match is present).
 *
 * @example
 * evaluatePreconditions({ ifNoneMatch: validators.etag }, validators, "GET"); // "not-modified"
 */
export function evaluatePreconditions(headers: ConditionalHeaders, validators: FileValidators, method: string): Precondition {
  if (headers.ifMatch !== undefined) {
    if (!matchesAny(headers.ifMatch, validators.etag, "strong")) return "failed";
  } else if (headers.ifUnmodifiedSince !== undefined) {
    const since = parseHttpDate(headers.ifUnmodifiedSince);
    if (since !== undefined && validators.mtimeSeconds > since) return "failed";
  }
  const safe = method === "GET" || method === "HEAD";
  if (headers.ifNoneMatch !== undefined) {
    if (matchesAny(headers.ifNoneMatch, validators.etag, "weak")) return safe ? "not-modified" : "failed";
  } else if (headers.ifModifiedSince !== undefined && safe) {
    const since = parseHttpDate(headers.ifModifiedSince);
    if (since !== undefined && validators.mtimeSeconds <= since) return "not-modified";
  }
  return "proceed";
}

/**
 * True when an `If-Range` value still matches the file, so the range may be sent;
 * otherwise the whole file is sent (RFC 9110 §13.1.5).
 */
export function ifRangeMatches(ifRange: string | undefined, validators: FileValidators): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith("W/")) return value === validators.etag;
  const date = parseHttpDate(value);
  return date !== undefined && date === validators.mtimeSeconds;
}

function matchesAny(header: string, etag: string, comparison: "strong" | "weak"): boolean {
  const list = header.split(",").map((tag) => tag.trim());
  if (list.includes("*")) return true;
  const opaque = (tag: string): string => (comparison === "weak" && tag.startsWith("W/") ? tag.slice(2) : tag);
  return list.some((tag) => (comparison === "strong" && tag.startsWith("W/") ? false : opaque(tag) === etag));
}
