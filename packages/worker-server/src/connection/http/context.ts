import type { Application, Environ, EnvironSettings, WebSocketOptions, WebSocketTracker } from "tsgi";
import type { InFlightCounter } from "../inFlight.js";
import type { RequestLimits } from "../limits.js";
import type { RequestObserver } from "../requestObserver.js";
import type { ConnectionTimeouts } from "../timeouts.js";
import type { IpAllowList } from "../../proxy/ipAllowList.js";

/** What every HTTP connection of one server shares: settled once at start-up, read per request. */
export interface HttpContext {
  /** The app as the server runs it (`onRequest` around it). */
  readonly app: Application;
  readonly limits: RequestLimits;
  readonly timeouts: ConnectionTimeouts;
  readonly observer: RequestObserver;
  readonly environSettings: EnvironSettings;
  /** Peers whose X-Forwarded-* / Forwarded headers count. */
  readonly forwardedTrust: IpAllowList;
  readonly inFlight: InFlightCounter;
  /** `Connection: keep-alive` + `Keep-Alive: timeout=N` header lines, encoded once. */
  readonly keepAliveLines: string;
  /** True once the server drains: each response closes its connection. */
  readonly draining: boolean;
  /** How long a connection must have been idle before draining closes it. */
  readonly drainGraceMs: number;
  /** Open WebSockets (SPEC.md, "WebSocket"); undefined when the server serves none (`websocket: false`). */
  readonly websockets: WebSocketTracker | undefined;
  /** Message size and ping interval of every WebSocket. */
  readonly websocketOptions: WebSocketOptions;
  /** Reports an error the app raised (not one that follows a refused body), or one of the server's own. */
  reportError(error: unknown, environ?: Environ): void;
}
