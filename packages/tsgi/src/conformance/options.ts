import type { Application } from "../types.js";

/** What `start(app, options)` is asked for. */
export interface StartOptions {
  /** Mount the app under this prefix: requests below it get it as SCRIPT_NAME. Only passed when the server declares `capabilities.scriptName`. */
  scriptName?: string;
  /** Absolute path of a module whose default export is the same conformance app, for servers that load apps by path in other processes. */
  appModule: string;
}

/** A server started by `start(app)`. */
export interface RunningServer {
  /** Base URL, such as `http://127.0.0.1:39123`. */
  url: string;
  /** Stops the server and frees every resource it holds. */
  close(): Promise<void>;
}

/** Optional features of a server, checked only when declared. */
export interface ServerCapabilities {
  /** `start(app, { scriptName })` mounts the app under a prefix. */
  scriptName?: boolean;
  /** The server serves WebSocket (`tsgi.websocket`): the WebSocket checks run (SPEC.md, "WebSocket"). */
  websocket?: boolean;
  /** The server runs the app's lifespan (`tsgi.state`): the lifespan check runs (SPEC.md, "Lifespan"). */
  lifespan?: boolean;
}

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** Shown in the suite title (`tsgi conformance: <name>`). */
  name?: string;
  /** Starts the server under test with `app`; called once per suite (and once more for each capability that needs its own server). */
  start(app: Application, options: StartOptions): Promise<RunningServer>;
  /** Ids of checks to skip (see `CONFORMANCE_CHECK_IDS`); an unknown id is an error. */
  skip?: readonly string[];
  capabilities?: ServerCapabilities;
}
