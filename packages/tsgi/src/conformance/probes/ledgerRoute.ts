import type { ApplicationFunction } from "../../types.js";
import { isLedgerToken, readProbeEvents, recordProbeEvent } from "./ledger.js";
import { queryOf, respondJson, respondText } from "./respond.js";

const EVENT_FORM = /^[a-z0-9:_-]{1,64}$/;

/**
 * The side channel of the probes: `GET /ledger?token=T` answers `{ events }`
 * (what the probes recorded for T), `POST /ledger?token=T&event=E` records E
 * (the test's signals, such as `release`). It works the same whether the app
 * runs in the test's process or in a worker process.
 *
 * @example
 * // GET /ledger?token=...  -> {"events":["closed"]}
 */
export function ledgerRoute(): ApplicationFunction {
  return (environ, startResponse) => {
    const query = queryOf(environ);
    const token = query.get("token") ?? "";
    if (!isLedgerToken(token)) return respondText(startResponse, "400 Bad Request", "?token= must be a ledger token\n");
    if (environ.REQUEST_METHOD === "POST") {
      const event = query.get("event") ?? "";
      if (!EVENT_FORM.test(event)) return respondText(startResponse, "400 Bad Request", "?event= must match [a-z0-9:_-]{1,64}\n");
      recordProbeEvent(token, event);
      return respondJson(startResponse, "200 OK", { recorded: event });
    }
    if (environ.REQUEST_METHOD !== "GET" && environ.REQUEST_METHOD !== "HEAD") {
      return respondText(startResponse, "405 Method Not Allowed", "use GET or POST\n", [["Allow", "GET, HEAD, POST"]]);
    }
    return respondJson(startResponse, "200 OK", { events: readProbeEvents(token) });
  };
}
