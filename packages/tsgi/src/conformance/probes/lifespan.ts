import type { Lifespan } from "../../lifespan/types.js";
import type { ApplicationFunction } from "../../types.js";
import { respondJson } from "./respond.js";

/**
 * The conformance app's lifespan: start-up marks the process's state, so the `lifespan` probe can
 * tell whether the server ran it before serving and passes its state to every environ.
 */
export const conformanceLifespan: Lifespan = {
  startup(state) {
    state.conformanceStartedPid = process.pid;
  },
};

/**
 * `GET /lifespan`: `{ "state": bool, "started": bool, "pid": n }`: whether `tsgi.state` is present and
 * filled by this process's start-up.
 *
 * @example
 * // GET /lifespan -> {"state":true,"started":true,"pid":4242}
 */
export function lifespanProbe(): ApplicationFunction {
  return (environ, startResponse) => {
    const state = environ["tsgi.state"];
    return respondJson(startResponse, "200 OK", { state: state !== undefined, started: state?.conformanceStartedPid === process.pid, pid: process.pid });
  };
}
