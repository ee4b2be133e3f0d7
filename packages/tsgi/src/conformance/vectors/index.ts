/**
 * The request-vector table: exact request bytes, the RFC 9110/9112 rule each follows, and
 * what every tsgi server must do with them (refuse with a status, or serve this environ).
 */
export { REQUEST_VECTORS, REQUEST_VECTOR_GROUPS, REQUEST_VECTOR_IDS } from "./catalog.js";
export { vector, refused, served, head, type RequestVector, type ExpectedResponse, type RefusedResponse, type ServedResponse, type ExpectedValue, type VectorServer } from "./requestVector.js";
export { requestVectorApp, REQUEST_VECTOR_TOKEN_ENV, VECTOR_CALL_EVENT, type VectorAppReport, type RequestVectorAppOptions } from "./vectorApp.js";
export { runRequestVector, type VectorTarget, type VectorOutcome } from "./runVector.js";
export { runRequestVectors, REQUEST_VECTOR_APP_MODULE, type RequestVectorSuiteOptions, type VectorStartOptions } from "./runRequestVectors.js";
export { compareServed, parseReport } from "./compareServed.js";
export { EnvironAssemblyError, UnknownVectorError, VectorFailedError } from "./errors.js";
export { assemblerProbeEnvironment, ASSEMBLER_PROBE_KEY } from "./assemblerProbe.js";
export { compareAssemblerKeys, assemblerKeysFor, ASSEMBLER_KEYS_CHECK_ID, type ServerEnvironOptions } from "./assemblerKeys.js";
