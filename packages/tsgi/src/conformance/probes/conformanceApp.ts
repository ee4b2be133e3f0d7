import { callApplication } from "../../application.js";
import type { Application, ApplicationFunction } from "../../types.js";
import { closeRecorderProbe } from "./close-recorder.js";
import { downloadProbe } from "./download.js";
import { echoProbe } from "./echo.js";
import { environDumpProbe } from "./environ-dump.js";
import { failureProbe } from "./failures.js";
import { fileWrapperProbe } from "./file-wrapper.js";
import { framingProbe } from "./framing.js";
import { inputReaderProbe } from "./input-reader.js";
import { inputStallProbe } from "./input-stall.js";
import { ledgerRoute } from "./ledger-route.js";
import { respondText } from "./respond.js";
import { slowConsumerProbe } from "./slow-consumer.js";
import { statusHeadersProbe } from "./status-headers.js";
import { streamReleaseProbe } from "./stream-release.js";
import { writeLegacyProbe } from "./write-legacy.js";

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
  return (environ, startResponse) => {
    const segment = environ.PATH_INFO.split("/")[1] ?? "";
    const route = Object.hasOwn(routes, segment) ? routes[segment] : undefined;
    if (!route) {
      return respondText(startResponse, "404 Not Found", `no probe at ${JSON.stringify(environ.PATH_INFO)}\n`);
    }
    return callApplication(route, environ, startResponse);
  };
}
