/** Shared by the HTTP-layer tests: start a worker server in-process on port 0 and talk to it over raw sockets. */
import net from "node:net";
import tls from "node:tls";
import type { Application, Environ } from "tsgi";
import { createWorkerServer, type HttpServerOptions, type RequestEvents, type WorkerHttpServer } from "../src/connection/index.js";

export interface RunningServer {
  server: WorkerHttpServer;
  port: number;
  close(): Promise<void>;
}

const running = new Set<RunningServer>();

/** Starts `app` on 127.0.0.1:0. Stop it with `close()` or `closeAllServers()` in teardown. */
export async function startServer(app: Application, options: HttpServerOptions = {}, events: RequestEvents = {}): Promise<RunningServer> {
  const server = createWorkerServer(app, options, events);
  await server.serve({ host: "127.0.0.1", port: 0 });
  const address = server.addresses()[0];
  if (typeof address !== "object") throw new Error("expected a TCP address");
  const entry: RunningServer = {
    server,
    port: address.port,
    close: async () => {
      running.delete(entry);
      await server.close();
    },
  };
  running.add(entry);
  return entry;
}

export async function closeAllServers(): Promise<void> {
  await Promise.all([...running].map((entry) => entry.close()));
}

const encoder = new TextEncoder();

/** An app that answers with a JSON summary of the environ (and the body it read). */
export const echoApp: Application = async (environ, startResponse) => {
  const body = await environ["tsgi.input"].read();
  const summary = {
    method: environ.REQUEST_METHOD,
    path: environ.PATH_INFO,
    query: environ.QUERY_STRING,
    remoteAddr: environ.REMOTE_ADDR,
    remotePort: environ.REMOTE_PORT,
    scheme: environ["tsgi.url_scheme"],
    serverPort: environ.SERVER_PORT,
    rawUri: environ.RAW_URI,
    multiprocess: environ["tsgi.multiprocess"],
    body: Buffer.from(body).toString("latin1"),
    forwardedFor: environ.HTTP_X_FORWARDED_FOR,
  };
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  return [encoder.encode(JSON.stringify(summary))];
};

export type EchoSummary = { method: string; path: string; query: string; remoteAddr: string; remotePort: string; scheme: string; serverPort: string; rawUri: string; multiprocess: boolean; body: string; forwardedFor?: string };

/** What came back on a raw connection. */
export interface RawExchange {
  /** Everything the server sent, as latin-1 text. */
  text: string;
  /** True when the server closed the connection (false: the safety timeout ended the wait). */
  closedByServer: boolean;
}

export interface RawOptions {
  /** Give up waiting for the server to close after this long (default 20 s); the test then sees closedByServer false. */
  waitMs?: number;
  /** Half-close our side after writing (default false: a server must close on its own). */
  endAfterWrite?: boolean;
  tls?: boolean;
}

/** Sends raw bytes (a string is latin-1) and collects the reply until the server closes the connection. */
export function rawExchange(port: number, data: string | Buffer | Array<string | Buffer>, options: RawOptions = {}): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket: net.Socket = options.tls
      ? tls.connect({ port, host: "127.0.0.1", rejectUnauthorized: false })
      : net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString("latin1"), closedByServer });
    };
    const timer = setTimeout(() => finish(false), options.waitMs ?? 20_000);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      // A reset after the reply still counts as the server closing.
      if (error.code === "ECONNRESET" || error.code === "EPIPE") finish(true);
      else if (!done) reject(error);
    });
    socket.once(options.tls ? "secureConnect" : "connect", () => {
      for (const part of Array.isArray(data) ? data : [data]) socket.write(typeof part === "string" ? Buffer.from(part, "latin1") : part);
      if (options.endAfterWrite) socket.end();
    });
  });
}

/** The status code of the first response in `text`, or undefined. */
export function statusOf(text: string): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3}) /.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** All status codes in a stream of pipelined responses. */
export function statusesOf(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));
}

/** The JSON bodies of the echo app found in `text`. */
export function echoBodies(text: string): EchoSummary[] {
  return [...text.matchAll(/\{"method".*?\}(?=HTTP\/|\r\n|$)/gs)].map((m) => JSON.parse(m[0]) as EchoSummary);
}

/** Counts how many times an app was called (to prove a refused request never reached it). */
export function countingApp(inner: Application = echoApp): { app: Application; calls: Environ[] } {
  const calls: Environ[] = [];
  const app: Application = (environ, startResponse) => {
    calls.push(environ);
    return typeof inner === "function" ? inner(environ, startResponse) : inner.call(environ, startResponse);
  };
  return { app, calls };
}
