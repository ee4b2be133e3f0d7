import { assembleEnviron } from "../environ/assembleEnviron.js";
import type { ConnectionInfo, EnvironSettings } from "../environ/types.js";
import { createInputStream } from "../input/inputStream.js";
import type { Environ } from "../types.js";
import { limitBytes } from "../util/limitBytes.js";
import { streamChunks } from "./streamChunks.js";

/** How `toFetchHandler` builds an environ from a fetch `Request`: the assembler's settings plus the host's keys. */
export interface RequestEnvironOptions extends EnvironSettings {
  /**
   * Host-specific facts and keys for each request; receives the extra arguments the host passed.
   * `REMOTE_ADDR`/`REMOTE_PORT` (e.g. from Deno's `info.remoteAddr` or Bun's `server.requestIP(request)`)
   * become the connection's client address; every other key is a server key (`myhost.*`), which may not
   * replace a key the assembler owns (`ReservedEnvironKeyError`).
   */
  extraEnviron?(request: Request, ...hostArgs: unknown[]): Record<string, unknown>;
}

/**
 * Builds the environ for a fetch `Request` through `assembleEnviron` (the fetch adapter): the URL's
 * path and query as the target, the headers in the order the `Headers` object gives them (repeats
 * already joined with `, `), a `Host` from the URL when the Request has none, and `tsgi.input`
 * streaming `request.body` (bounded at `Content-Length` when one is given).
 *
 * @example
 * const environ = environFromRequest(new Request("http://localhost/a?b=1"));
 * environ.PATH_INFO; // "/a"
 */
export function environFromRequest(request: Request, options: RequestEnvironOptions = {}, hostArgs: unknown[] = []): Environ {
  const url = new URL(request.url);
  const rawHeaders: string[] = [];
  let hasHost = false;
  let contentLength: string | undefined;
  request.headers.forEach((value, name) => {
    rawHeaders.push(name, value);
    if (name === "host") hasHost = true;
    else if (name === "content-length") contentLength = value;
  });
  // A Request built from a URL alone has no Host header; the URL's authority is what the client asked for.
  if (!hasHost) rawHeaders.push("host", url.host);

  let input = createInputStream([]);
  if (request.body !== null) {
    const chunks = streamChunks(request.body);
    input = createInputStream(contentLength !== undefined && /^\d+$/.test(contentLength) ? limitBytes(chunks, Number(contentLength)) : chunks);
  }

  const connection: ConnectionInfo = { scheme: url.protocol.slice(0, -1) };
  let serverKeys: Record<string, unknown> | undefined;
  if (options.extraEnviron) {
    const { REMOTE_ADDR, REMOTE_PORT, ...rest } = options.extraEnviron(request, ...hostArgs);
    if (typeof REMOTE_ADDR === "string") connection.remoteAddress = REMOTE_ADDR;
    if (typeof REMOTE_PORT === "string" || typeof REMOTE_PORT === "number") connection.remotePort = REMOTE_PORT;
    serverKeys = rest;
  }
  const head = { method: request.method, target: url.pathname + url.search, httpVersion: "1.1", rawHeaders };
  return assembleEnviron(head, connection, input, options, serverKeys);
}
