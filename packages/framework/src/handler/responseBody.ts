import type { Environ, ResponseBody, ResponseHeaders, StartResponse } from "tsgi";
import { serializeCookie } from "../http/cookies.js";
import type { HttpResponseBase } from "../http/response/base.js";
import { FileResponse } from "../http/response/file.js";
import { contextRunner, type RequestContext } from "./requestContext.js";

/** The status line and headers for `startResponse`, one `Set-Cookie` per cookie. */
export function responseHeaders(response: HttpResponseBase): ResponseHeaders {
  const headers: ResponseHeaders = response.headers.toList();
  if (response.hasCookies) for (const cookie of response.cookies.values()) headers.push(["Set-Cookie", serializeCookie(cookie)]);
  return headers;
}

const NO_BODY_STATUS = (status: number): boolean => status < 200 || status === 204 || status === 304;

/**
 * Starts the response and returns its body for the server (the end of Django's
 * `WSGIHandler.__call__`): in-memory content gets a Content-Length, streams are
 * handed over lazily, a FileResponse goes through `tsgi.file_wrapper` when
 * offered. `onClose` runs once when the server closes the body. Without `onClose`,
 * an in-memory response with nothing to close is handed over as a plain array of
 * chunks, which servers send without an async step.
 *
 * @example
 * return sendResponse(response, environ, startResponse, () => requestFinished.send(null, { environ }));
 */
export function sendResponse(
  response: HttpResponseBase,
  environ: Environ,
  startResponse: StartResponse,
  onClose?: () => Promise<void>,
  context?: RequestContext,
): ResponseBody {
  const noBody = NO_BODY_STATUS(response.statusCode);
  if (!response.streaming && !noBody && !response.headers.has("Content-Length")) {
    let length = 0;
    for (const chunk of response.bodyChunks() as Iterable<Uint8Array>) length += chunk.length;
    response.headers.set("Content-Length", length);
  }
  startResponse(response.statusLine, responseHeaders(response));

  if (onClose === undefined && !response.streaming && !response.hasClosers) {
    // Nothing to release: the response's own close() would only mark it closed.
    return noBody ? [] : (response.bodyChunks() as Iterable<Uint8Array>);
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      try {
        await response.close();
      } finally {
        await onClose?.();
      }
    })());

  const wrap = environ["tsgi.file_wrapper"];
  if (response instanceof FileResponse && response.fileToStream !== undefined && typeof wrap === "function") {
    const body = wrap(response.fileToStream, response.blockSize);
    const wrapperClose = body.close;
    // Keep the wrapper object itself (servers recognise it for zero-copy sends); chain our close onto its own.
    body.close = async () => {
      try {
        await wrapperClose?.call(body);
      } finally {
        await close();
      }
    };
    return body;
  }

  const chunks = noBody ? [] : response.bodyChunks();
  if (Symbol.asyncIterator in chunks) {
    // The server pulls chunks from its own async context; run each step in the request's.
    const inContext = context === undefined ? <T>(fn: () => T): T => fn() : contextRunner(context);
    return {
      [Symbol.asyncIterator]: () => {
        const iterator = inContext(() => (chunks as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]());
        return {
          next: () => inContext(() => iterator.next()),
          return: (value?: unknown) => inContext(() => iterator.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined })),
        };
      },
      close,
    };
  }
  return { [Symbol.iterator]: () => (chunks as Iterable<Uint8Array>)[Symbol.iterator](), close };
}
