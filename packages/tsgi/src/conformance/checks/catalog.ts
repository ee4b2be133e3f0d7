import type { Check } from "./check.js";
import { closeChecks } from "./close.js";
import { connectionChecks } from "./connections.js";
import { environChecks } from "./environ.js";
import { pathChecks, scriptNameChecks } from "./paths.js";
import { errorChecks } from "./errors.js";
import { inputBackpressureChecks } from "./inputBackpressure.js";
import { largeBodyChecks } from "./largeBodies.js";
import { requestBodyChecks } from "./requestBody.js";
import { responseFramingChecks } from "./responseFraming.js";
import { statusHeaderChecks } from "./statusHeaders.js";
import { streamingChecks } from "./streaming.js";
import { websocketChecks } from "./websocket.js";
import { lifespanChecks } from "./lifespan.js";

/** Every check, grouped by concern (each group becomes a `describe` block). */
export const CHECK_GROUPS: ReadonlyArray<{ title: string; checks: readonly Check[] }> = [
  { title: "status and headers", checks: statusHeaderChecks },
  { title: "streaming and backpressure", checks: streamingChecks },
  { title: "body close()", checks: closeChecks },
  { title: "request body (tsgi.input)", checks: requestBodyChecks },
  { title: "request body backpressure", checks: inputBackpressureChecks },
  { title: "response framing", checks: responseFramingChecks },
  { title: "app errors", checks: errorChecks },
  { title: "environ", checks: environChecks },
  { title: "paths and query strings", checks: pathChecks },
  { title: "large bodies", checks: largeBodyChecks },
  { title: "connections", checks: connectionChecks },
  { title: "SCRIPT_NAME mount", checks: scriptNameChecks },
  { title: "WebSocket", checks: websocketChecks },
  { title: "lifespan", checks: lifespanChecks },
];

/** The id of every check, for `skip`. */
export const CONFORMANCE_CHECK_IDS: readonly string[] = CHECK_GROUPS.flatMap((group) => group.checks.map((check) => check.id));
