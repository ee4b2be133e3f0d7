import { existsSync } from "node:fs";
import { join } from "node:path";
import { CORES, has, nodePeer, PYTHON_ENV, tsgiWorker } from "./launchers.js";
import { APPS, INSTALLED } from "./paths.js";
import { startProcess, type Started } from "./processes.js";
import type { ScenarioName, ServerSpec } from "./serverSpec.js";

/** Sockets held open idle in the WebSocket scenario, and the connections sending echoes. */
export const WS_IDLE_SOCKETS = 1000;
export const WS_CONNECTIONS = 64;

/**
 * uWSGI's own WebSocket API (apps/ws_echo_uwsgi.py): a sync thread holds each socket, so the
 * processes get a thread for every socket the scenario opens (idle and busy), plus a margin.
 */
function uwsgiWebSocket(port: number): Started {
  const threads = Math.ceil((WS_IDLE_SOCKETS + WS_CONNECTIONS + 32) / CORES);
  return startProcess("uwsgi", [
    "--plugin", "python3", "--http-socket", `127.0.0.1:${port}`, "--master", "--processes", String(CORES), "--threads", String(threads),
    "--listen", "1024", "--tcp-nodelay", "--chdir", APPS, "--wsgi-file", join(APPS, "ws_echo_uwsgi.py"), "--disable-logging", "--die-on-term", "--need-app",
  ], PYTHON_ENV);
}

/** The WebSocket echo scenario's servers: tsgi-worker against `ws` on node:http, process for process, and uWSGI. */
export function websocketServers(): ServerSpec[] {
  const websocket: ScenarioName[] = ["websocket"];
  return [
    { name: "tsgi-worker (1 worker), WebSocket echo", workers: 1, scenarios: websocket, installed: true, available: () => true, start: tsgiWorker(1, INSTALLED.echoApp) },
    { name: "ws on node:http (1 process)", workers: 1, scenarios: websocket, available: () => true, start: nodePeer("ws", 1) },
    { name: `tsgi-worker (${CORES} workers), WebSocket echo`, workers: CORES, scenarios: websocket, installed: true, available: () => true, start: tsgiWorker(CORES, INSTALLED.echoApp) },
    { name: `ws on node:http cluster (${CORES})`, workers: CORES, baseline: true, scenarios: websocket, available: () => true, start: nodePeer("ws", CORES) },
    {
      name: `uWSGI WebSocket (${CORES} processes x ${Math.ceil((WS_IDLE_SOCKETS + WS_CONNECTIONS + 32) / CORES)} threads)`,
      workers: CORES,
      scenarios: websocket,
      available: () => has("uwsgi") && existsSync("/usr/lib/uwsgi/plugins/python3_plugin.so"),
      start: uwsgiWebSocket,
    },
  ];
}
