import { callApplication } from "../../application.js";
import type { Application, ApplicationFunction, Environ, StartResponse } from "../../types.js";
import { closeRecorderProbe } from "./closeRecorder.js";
import { downloadProbe } from "./download.js";
import { echoProbe } from "./echo.js";
import { environDumpProbe } from "./environDump.js";
import { failureProbe } from "./failures.js";
import { fileWrapperProbe } from "./fileWrapper.js";
import { framingProbe } from "./framing.js";
import { inputReaderProbe } from "./inputReader.js";
import { inputStallProbe } from "./inputStall.js";
import { ledgerRoute } from "./ledgerRoute.js";
import { respondText } from "./respond.js";
import { slowConsumerProbe } from "./slowConsumer.js";
import { statusHeadersProbe } from "./statusHeaders.js";
import { streamReleaseProbe } from "./streamRelease.js";
import { writeLegacyProbe } from "./writeLegacy.js";
import { websocketProbe } from "./websocket.js";
import { conformanceLifespan, lifespanProbe } from "./lifespan.js";

/**
 * The probe routes by first path segment. `/environ` takes any path below it,
 * so path decoding can be checked on arbitrary paths.
 *
 * @example
 * const app = probeRoutes()["environ"]; // serve one probe on its own
 */
export function probeRoutes(): Record<string, Application> {
  return {
    "status-headers": statusHeadersProbe(),
    "stream-release": streamReleaseProbe(),
    "slow-consumer": slowConsumerProbe(),
    "close-recorder": closeRecorderProbe(),
    input: inputReaderProbe(),
    "input-stall": inputStallProbe(),
    echo: echoProbe(),
    download: downloadProbe(),
    environ: environDumpProbe(),
    // The root (PATH_INFO "" or "/") also reports the environ, so a bare mount point can be checked.
    "": environDumpProbe(),
    fail: failureProbe(),
    framing: framingProbe(),
    "write-legacy": writeLegacyProbe(),
    "file-wrapper": fileWrapperProbe(),
    ledger: ledgerRoute(),
    websocket: websocketProbe(),
    lifespan: lifespanProbe(),
  };
}

/**
 * The one app the conformance suite serves: every probe under its own path
 * segment (`/environ/...`, `/fail?when=...`, `/ledger?token=...`, ...); `/` reports the environ.
 * Routing uses PATH_INFO, so the app works the same when mounted under a SCRIPT_NAME.
 *
 * @example
 * const server = createServer(createConformanceApp()).listen(0);
 */
export function createConformanceApp(): ApplicationFunction {
  const routes = probeRoutes();
  // The app declares a lifespan (SPEC.md, "Lifespan"), so servers that run it can be checked.
  return Object.assign((environ: Environ, startResponse: StartResponse) => {
    const segment = environ.PATH_INFO.split("/")[1] ?? "";
    const route = Object.hasOwn(routes, segment) ? routes[segment] : undefined;
    if (!route) {
      return respondText(startResponse, "404 Not Found", `no probe at ${JSON.stringify(environ.PATH_INFO)}\n`);
    }
    return callApplication(route, environ, startResponse);
  }, { lifespan: conformanceLifespan });
}
