/**
 * `tsgi.state`: the per-process object a lifespan start-up fills (a database pool, a warmed
 * cache) and every environ of that process carries. The server creates it empty.
 */
export type LifespanState = Record<string, unknown>;

/**
 * An app's start-up and shutdown work, declared as its `lifespan` property (SPEC.md, "Lifespan").
 * Each server runs `startup` once per process before it accepts connections and `shutdown` once
 * after it drained them.
 */
export interface Lifespan {
  /** Runs before the first connection is accepted; a throw or rejection is a boot failure. */
  startup?(state: LifespanState): void | Promise<void>;
  /** Runs after the last connection was drained, on a graceful stop. */
  shutdown?(state: LifespanState): void | Promise<void>;
}
