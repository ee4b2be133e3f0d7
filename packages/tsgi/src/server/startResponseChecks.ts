import { HOP_BY_HOP_HEADERS, hasInvalidValueChars, isToken, parseStatus } from "../http/rules.js";
import type { ResponseHeaders } from "../types.js";

/** A response the app described in a way no server can send. */
export class InvalidResponseError extends TypeError {
  override name = "InvalidResponseError";
}

/**
 * Checks what `startResponse` was given, so a malformed response fails in the
 * app (and becomes a 500) rather than corrupting the connection.
 * Returns the declared Content-Length, if any.
 */
export function checkStartResponse(status: unknown, headers: unknown): number | undefined {
  if (typeof status !== "string" || parseStatus(status) === undefined) {
    throw new InvalidResponseError(`startResponse(): status must look like "200 OK", got ${JSON.stringify(status)}`);
  }
  if (!Array.isArray(headers)) {
    throw new InvalidResponseError("startResponse(): headers must be an array of [name, value] pairs");
  }
  let contentLength: number | undefined;
  for (const pair of headers as ResponseHeaders) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || typeof pair[1] !== "string") {
      throw new InvalidResponseError(`startResponse(): each header must be a [name, value] pair of strings, got ${JSON.stringify(pair)}`);
    }
    const [name, value] = pair;
    if (!isToken(name)) throw new InvalidResponseError(`startResponse(): invalid header name ${JSON.stringify(name)}`);
    if (hasInvalidValueChars(value)) {
      throw new InvalidResponseError(`startResponse(): header ${name} has a control or non-latin-1 character in its value`);
    }
    const lower = name.toLowerCase();
    if (HOP_BY_HOP_HEADERS.has(lower)) {
      throw new InvalidResponseError(`startResponse(): hop-by-hop header ${name} is not allowed from an app`);
    }
    if (lower === "content-length") {
      // Two Content-Length fields are a framing error for any recipient (RFC 9112 §6.3): never send them.
      if (contentLength !== undefined) throw new InvalidResponseError("startResponse(): Content-Length given more than once");
      if (!/^\d+$/.test(value.trim())) throw new InvalidResponseError(`startResponse(): Content-Length ${JSON.stringify(value)} is not a number`);
      contentLength = Number(value.trim());
    }
  }
  return contentLength;
}
