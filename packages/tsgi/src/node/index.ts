export { buildEnviron, nodeRequestHead, nodeConnectionInfo, splitScriptName, type EnvironOptions } from "./environ.js";
export { toNodeListener, serveEnviron, type NodeListener, type NodeListenerOptions } from "./listener.js";
export { createServer, type CreateServerOptions } from "./createServer.js";
export { respondWithHeadRejection, answerClientError, answerConnect, answerRefusedHeads, clientErrorRejection } from "./headRejection.js";
export { NodeResponseSink } from "./sink.js";
export { attachWebSocket, serveUpgrade, type NodeWebSocketOptions } from "./websocket.js";
