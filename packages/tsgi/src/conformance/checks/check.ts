import type { RawConnection } from "../client/rawConnection.js";

/** What a check can use: the running server and tracked resources that are released after each check. */
export interface CheckContext {
  /** Base URL of the server under test. */
  readonly url: string;
  /** Opens a raw connection to the server (closed after the check). */
  connect(): Promise<RawConnection>;
  /** A fresh ledger token (its ledger is removed after the check). */
  token(): string;
  /** The events the probes recorded for `token`, read through the app's `/ledger` route. */
  ledger(token: string): Promise<string[]>;
  /** Polls the ledger until `until(events)` holds; fails naming `waitingFor` after a generous deadline. */
  waitForLedger(token: string, waitingFor: string, until: (events: string[]) => boolean): Promise<string[]>;
  /** Records `event` in the ledger of `token` (a signal to a waiting probe). */
  signal(token: string, event: string): Promise<void>;
  /** Runs `cleanup` after the check, with the other releases (for clients the check opened itself, e.g. WebSockets). */
  onRelease(cleanup: () => void): void;
}

/** One conformance check. */
export interface Check {
  /** Stable id, usable in `skip`. */
  id: string;
  /** What a conforming server does (the test title). */
  title: string;
  /** A capability the server must declare for this check to run. */
  requires?: "scriptName" | "websocket" | "lifespan";
  run(context: CheckContext): Promise<void>;
}
