import type net from "node:net";
import type { Application } from "tsgi";
import { AccessLog } from "../log/accessLog.js";
import { parseIpAllowList } from "../proxy/ipAllowList.js";
import type { ProxiedAddress } from "../proxy/proxyProtocol.js";
import { createProxyProtocolGate } from "../proxy/proxyProtocolGate.js";
import { HttpProtocol } from "./http/httpProtocol.js";
import type { HttpServerOptions } from "./options.js";
import { RequestObserver } from "./requestObserver.js";
import type { ConnectionProtocol, RequestEvents, WorkerHttpServer } from "./types.js";
import { UwsgiProtocol } from "./uwsgi/uwsgiProtocol.js";
import { WorkerServer } from "./workerServer.js";

const DEFAULT_ALLOW_IPS = "127.0.0.1,::1";

/**
 * Creates one worker's server for `app`: HTTP/1.1 spoken by the worker itself (HTTPS with `tls`)
 * or uwsgi, optionally behind PROXY protocol, with Gunicorn's limits, trusted proxy headers and an
 * access log. Bad options throw typed errors (InvalidLimitError, InvalidTimeoutError,
 * InvalidAllowListError, TlsFileError, AccessLogOpenError) before anything listens.
 *
 * @example
 * const server = createWorkerServer(app, { keepAlive: 75, accessLog: { file: "-" } }, {
 *   onResponse: (environ, outcome, ms) => stats.record(outcome.status, ms),
 * });
 * await server.serve({ host: "127.0.0.1", port: 0 });
 * process.on("SIGTERM", () => void server.drain(30_000).then(() => process.exit(0)));
 */
export function createWorkerServer(app: Application, options: HttpServerOptions = {}, events: RequestEvents = {}): WorkerHttpServer {
  const forwardedTrust = parseIpAllowList(options.forwardedAllowIps ?? DEFAULT_ALLOW_IPS);
  const accessLog = options.accessLog ? new AccessLog(options.accessLog) : undefined;
  const observer = new RequestObserver(events, accessLog);
  let protocol: ConnectionProtocol;
  try {
    protocol = options.protocol === "uwsgi" ? new UwsgiProtocol(app, options, observer) : new HttpProtocol(app, options, observer, forwardedTrust);
  } catch (error) {
    accessLog?.close();
    throw error;
  }
  let onConnection = (socket: net.Socket, proxied?: ProxiedAddress) => protocol.handleConnection(socket, proxied);
  if (options.proxyProtocol) {
    const allowFrom = parseIpAllowList(options.proxyAllowIps ?? options.forwardedAllowIps ?? DEFAULT_ALLOW_IPS);
    onConnection = createProxyProtocolGate(onConnection, { allowFrom });
  }
  return new WorkerServer(protocol, onConnection, accessLog);
}

/**
 * The name `createWorkerServer` had before the connection layer was renamed (kept for compatibility).
 * @deprecated use {@link createWorkerServer}
 */
export const createHttpServer = createWorkerServer;
