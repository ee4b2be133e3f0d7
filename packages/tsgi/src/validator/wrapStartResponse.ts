import type { StartResponse, WriteFn } from "../types.js";
import { checkEntityHeaders, checkHeaders, checkStatus } from "./checkResponse.js";
import type { ResponseState } from "./responseState.js";
import { TsgiValidationError, check, describe, isError } from "./validationError.js";

/**
 * Wraps the server's `startResponse` so the app's status, headers, excInfo and
 * call order are checked before the server sees them, and the server's answers
 * (a write function, rethrowing excInfo late) are checked on the way back.
 *
 * @example
 * const startResponse = wrapStartResponse(serverStartResponse, new ResponseState(false));
 */
export function wrapStartResponse(serverStartResponse: StartResponse, state: ResponseState): StartResponse {
  return function validatedStartResponse(...args: unknown[]): WriteFn {
    check(!state.websocketAccepted, "websocket-start-response-after-accept", "the app accepted the WebSocket: its response is the 101; close it with websocket.close(code, reason) instead");
    check(
      args.length === 2 || args.length === 3,
      "start-response-arguments",
      `startResponse takes (status, headers[, excInfo]), got ${args.length} arguments`,
    );
    const [status, headers, excInfo] = args;
    check(
      excInfo === undefined || isError(excInfo),
      "exc-info-type",
      `excInfo must be undefined or the Error being reported (wrap other thrown values in an Error), got ${describe(excInfo)}`,
    );
    check(
      !state.started || excInfo !== undefined,
      "start-response-repeated",
      "startResponse was called a second time without excInfo; only an error handler may replace the response, and it must pass the error",
    );
    const code = checkStatus(status);
    checkHeaders(headers);
    const declaredLength = checkEntityHeaders(code, headers);

    if (excInfo !== undefined && state.headersSent) {
      // The headers are on the wire: a conforming server rethrows excInfo here, and that error must reach the app.
      serverStartResponse(status as string, headers, excInfo);
      throw new TsgiValidationError(
        "exc-info-not-rethrown",
        "startResponse(status, headers, excInfo) returned after headers were sent; the server must rethrow excInfo",
        { cause: excInfo },
      );
    }
    const write: unknown = serverStartResponse(status as string, headers, excInfo);
    check(typeof write === "function", "server-start-response-return", `startResponse must return a write function, got ${describe(write)}`);
    state.start(code, declaredLength);
    return wrapWrite(write as WriteFn, state);
  };
}

function wrapWrite(serverWrite: WriteFn, state: ResponseState): WriteFn {
  return function validatedWrite(chunk: unknown): Promise<void> {
    check(chunk instanceof Uint8Array, "write-chunk-type", `write() takes a Uint8Array, got ${describe(chunk)}`);
    state.noteChunk(chunk);
    const result: unknown = serverWrite(chunk);
    check(isThenable(result), "server-write-return", `write() must return a promise, got ${describe(result)}`);
    return result as Promise<void>;
  };
}

function isThenable(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
