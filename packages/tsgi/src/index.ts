export type * from "./types.js";
export { callApplication, isApplication } from "./application.js";

// Server-side runtime, shared by every server, bridge and test client.
export { runApplication } from "./server/runApplication.js";
export type { ResponseSink, RunOptions, RunResult, ErrorResponse } from "./server/sink.js";
export { InvalidResponseError, checkStartResponse } from "./server/startResponseChecks.js";
export { createInputStream, type InputStreamOptions } from "./input/inputStream.js";
export { createErrorStream, stderrErrorStream } from "./input/errorStream.js";
export { splitRequestTarget, decodePathInfo, toLatin1Bytes, type RequestTarget } from "./environ/target.js";
// The one environ assembler every server builds its environ through, and the one set of request-head checks.
export * from "./environ/index.js";
export * from "./http/index.js";
export { environKeyForHeader, addRequestHeader, addRawRequestHeaders } from "./environ/headers.js";
export { HOP_BY_HOP_HEADERS, isToken, hasInvalidValueChars, parseStatus, statusForbidsBody, type ParsedStatus } from "./http/rules.js";
export { FileWrapper, InvalidBlockSizeError, fileWrapper } from "./file/fileWrapper.js";

// Runtime checker for both sides of the interface (wsgiref.validate).
export * from "./validator/index.js";

// Utilities after wsgiref.util/wsgiref.headers, and the in-process test client.
export * from "./util/index.js";
export * from "./testing/index.js";
// Fetch bridges (also the `tsgi/fetch` entry).
export * from "./fetch/index.js";
// CGI: run an app as a CGI script, and the small runner that serves one.
export * from "./cgi/index.js";
// The extension chapter (SPEC.md, "WebSocket and Lifespan"): one WebSocket server side and one lifespan runner for every server.
export * from "./websocket/index.js";
export * from "./lifespan/index.js";
