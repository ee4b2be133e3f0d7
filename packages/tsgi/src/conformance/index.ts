/**
 * `tsgi/conformance`: the probe apps and a vitest-ready suite that checks any
 * TSGI server over real sockets. See the "Conformance kit" section of the README.
 */
export { runConformance, CONFORMANCE_APP_MODULE, CONFORMANCE_MOUNT_PREFIX } from "./runConformance.js";
export { UnknownCheckError, InvalidServerHandleError, serverOrigin } from "./errors.js";
export type { ConformanceOptions, RunningServer, ServerCapabilities, StartOptions } from "./options.js";
export { CHECK_GROUPS, CONFORMANCE_CHECK_IDS } from "./checks/catalog.js";
export type { Check, CheckContext } from "./checks/check.js";
export { createCheckContext, type CheckContextOptions, type TrackedCheckContext } from "./checks/context.js";

// The raw HTTP client.
export { RawConnection, type RawConnectionOptions, type RawResponse, type ReadResponseOptions } from "./client/rawConnection.js";
export { requestBytes, chunkedBody, chunkFrame, type RawRequest } from "./client/requestBytes.js";
export { readResponseHead, headerValue, headerValues, type ResponseHead } from "./client/responseHead.js";
export { ResponseBodyReader, bodyFraming, type BodyFraming } from "./client/responseBody.js";
export { sendHttpRequest, getJson, type HttpRequestOptions, type HttpResponse } from "./client/httpRequest.js";
export { RawClientTimeoutError, ConnectionClosedError, HttpResponseFormatError } from "./client/errors.js";

// Probe apps, one per concern, and the app that routes to all of them.
export { createConformanceApp, probeRoutes } from "./probes/conformanceApp.js";
export { statusHeadersProbe, PROBE_STATUS, PROBE_HEADERS, PROBE_LATIN1_HEADER } from "./probes/statusHeaders.js";
export { streamReleaseProbe, STREAM_FIRST_CHUNK, STREAM_SECOND_CHUNK } from "./probes/streamRelease.js";
export { slowConsumerProbe, SLOW_CONSUMER_DEFAULT_BYTES } from "./probes/slowConsumer.js";
export { closeRecorderProbe, ProbeFailure, type CloseRecorderMode } from "./probes/closeRecorder.js";
export { inputReaderProbe, type InputReport, type InputReadMode } from "./probes/inputReader.js";
export { inputStallProbe } from "./probes/inputStall.js";
export { echoProbe } from "./probes/echo.js";
export { downloadProbe } from "./probes/download.js";
export { environDumpProbe, describeEnviron, type EnvironReport } from "./probes/environDump.js";
export { failureProbe, FAILURE_CASES } from "./probes/failures.js";
export { framingProbe, FRAMING_FIXED_BODY, FRAMING_STREAMED_CHUNKS } from "./probes/framing.js";
export { writeLegacyProbe, WRITE_LEGACY_PARTS } from "./probes/writeLegacy.js";
export { fileWrapperProbe } from "./probes/fileWrapper.js";
export { websocketProbe, WEBSOCKET_FLOOD_MESSAGE_BYTES } from "./probes/websocket.js";
export { ledgerRoute } from "./probes/ledgerRoute.js";
export {
  createLedgerToken,
  recordProbeEvent,
  readProbeEvents,
  removeLedger,
  ledgerDirectory,
  LEDGER_DIRECTORY_ENV,
  InvalidLedgerKeyError,
} from "./probes/ledger.js";
export { patternChunk, patternChunks, patternDigest, PATTERN_CHUNK_SIZE } from "./probes/bytePattern.js";

// The request-vector table (refused heads, exact environs) and its runner.
export * from "./vectors/index.js";
