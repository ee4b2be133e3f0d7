import { createHash } from "node:crypto";
import type { ApplicationFunction } from "../../types.js";
import { isLedgerToken, recordProbeEvent } from "./ledger.js";
import { integerParam, queryOf, respondText } from "./respond.js";

/** Size of each message the `flood` mode sends to a client that does not read. */
export const WEBSOCKET_FLOOD_MESSAGE_BYTES = 1024 * 1024;

/**
 * The WebSocket probe (SPEC.md, "WebSocket"), by `?mode=`:
 * - `echo`: accepts (choosing `?subprotocol=` when the client offered it), echoes every message
 *   as it came, and records the client's close (`closed:<code>:<reason>`) in the ledger of `?token=`;
 * - `digest`: answers each message with `{"length", "sha256", "binary"}` (for messages too big to echo);
 * - `limit`: sends `websocket.maxMessageSize` as text;
 * - `close`: waits for one message, then closes with `?code=` and `?reason=`;
 * - `reject`: answers `403 Forbidden` over HTTP; `reject-close`: calls close() before accepting;
 * - `flood`: sends `?count=` messages of 1 MiB, recording `sent:<n>` after each send resolved.
 * A request without `tsgi.websocket` gets 426.
 *
 * @example
 * // ws://host/websocket?mode=echo&subprotocol=chat.v2
 */
export function websocketProbe(): ApplicationFunction {
  return async (environ, startResponse) => {
    const query = queryOf(environ);
    const mode = query.get("mode") ?? "echo";
    const token = query.get("token") ?? "";
    const record = (event: string) => {
      if (isLedgerToken(token)) recordProbeEvent(token, event);
    };
    const websocket = environ["tsgi.websocket"];
    if (websocket === undefined) return respondText(startResponse, "426 Upgrade Required", "this probe speaks WebSocket\n");
    if (mode === "reject") return respondText(startResponse, "403 Forbidden", "rejected by the probe\n");
    if (mode === "reject-close") {
      await websocket.close();
      return [];
    }
    const wanted = query.get("subprotocol") ?? undefined;
    await websocket.accept(wanted !== undefined && websocket.subprotocols.includes(wanted) ? { subprotocol: wanted } : {});
    // Ledger events are [a-z0-9:_-]: the reason is folded into that alphabet.
    void websocket.closed.then(({ code, reason }) => record(`closed:${code}:${reason.toLowerCase().replace(/[^a-z0-9_-]/g, "-")}`.slice(0, 64)));
    if (mode === "limit") {
      await websocket.send(String(websocket.maxMessageSize));
      for await (const message of websocket) void message;
    } else if (mode === "close") {
      await websocket.receive();
      await websocket.close(integerParam(query, "code", 1000, 4999), query.get("reason") ?? "");
    } else if (mode === "flood") {
      const count = integerParam(query, "count", 256, 1024);
      const message = new Uint8Array(WEBSOCKET_FLOOD_MESSAGE_BYTES).fill(0x61);
      for (let sent = 1; sent <= count; sent++) {
        try {
          await websocket.send(message);
        } catch {
          break; // the client went away
        }
        record(`sent:${sent}`);
      }
    } else if (mode === "digest") {
      for await (const message of websocket) {
        const bytes = typeof message === "string" ? Buffer.from(message, "utf8") : message;
        await websocket.send(JSON.stringify({ length: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex"), binary: typeof message !== "string" }));
      }
    } else {
      for await (const message of websocket) await websocket.send(message);
    }
    return [];
  };
}
