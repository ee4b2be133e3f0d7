import { RawConnection } from "../client/rawConnection.js";
import { getJson, sendHttpRequest } from "../client/httpRequest.js";
import { createLedgerToken, removeLedger } from "../probes/ledger.js";
import type { CheckContext } from "./check.js";

const LEDGER_POLL_MS = 20;

/** Deadlines of a {@link CheckContext}: safety nets that turn a hang into a readable failure, never assertions. */
export interface CheckContextOptions {
  /** How long one raw-connection read may wait for the server (default 30 s). */
  readTimeoutMs?: number;
  /** How long to wait for a probe to record an event (default 40 s). */
  ledgerDeadlineMs?: number;
}

/** A {@link CheckContext} plus the teardown that releases what the check opened. */
export interface TrackedCheckContext extends CheckContext {
  release(): Promise<void>;
}

/**
 * Creates the context for the checks of one server. Connections and ledger
 * tokens are tracked so `release()` (run after each check) closes and removes
 * them whether the check passed or not.
 *
 * @example
 * const context = createCheckContext(() => server.url);
 * afterEach(() => context.release());
 */
export function createCheckContext(baseUrl: () => string, options: CheckContextOptions = {}): TrackedCheckContext {
  const readTimeoutMs = options.readTimeoutMs ?? 30_000;
  const ledgerDeadlineMs = options.ledgerDeadlineMs ?? 40_000;
  const connections = new Set<RawConnection>();
  const tokens = new Set<string>();
  const cleanups: Array<() => void> = [];
  const context: TrackedCheckContext = {
    get url() {
      return baseUrl();
    },
    async connect() {
      const connection = await RawConnection.open(baseUrl(), { timeoutMs: readTimeoutMs });
      connections.add(connection);
      return connection;
    },
    token() {
      const token = createLedgerToken();
      tokens.add(token);
      return token;
    },
    async ledger(token) {
      const { events } = await getJson<{ events: string[] }>(baseUrl(), `/ledger?token=${token}`);
      return events;
    },
    async waitForLedger(token, waitingFor, until) {
      // Waiting on an event another process records: polling the side channel is the portable way.
      let events: string[] = [];
      for (let waited = 0; waited <= ledgerDeadlineMs; waited += LEDGER_POLL_MS) {
        events = await context.ledger(token);
        if (until(events)) return events;
        await new Promise((resolve) => setTimeout(resolve, LEDGER_POLL_MS));
      }
      throw new Error(`The probe never recorded ${waitingFor}; its ledger holds: ${summarise(events)}`);
    },
    async signal(token, event) {
      const response = await sendHttpRequest(baseUrl(), { method: "POST", path: `/ledger?token=${token}&event=${event}` });
      if (response.status !== 200) throw new Error(`Recording ${event} answered ${response.status}: ${response.body}`);
    },
    onRelease(cleanup) {
      cleanups.push(cleanup);
    },
    async release() {
      for (const cleanup of cleanups.splice(0)) cleanup();
      for (const connection of connections) connection.close();
      connections.clear();
      for (const token of tokens) removeLedger(token);
      tokens.clear();
    },
  };
  return context;
}

function summarise(events: string[]): string {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event, (counts.get(event) ?? 0) + 1);
  return counts.size === 0 ? "(nothing)" : [...counts].map(([event, count]) => `${event} x${count}`).join(", ");
}
