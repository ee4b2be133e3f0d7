import type net from "node:net";
import { createInputStream, runApplication, type Application, type Environ, type EnvironSettings } from "tsgi";
import { InFlightCounter } from "../inFlight.js";
import type { HttpServerOptions } from "../options.js";
import { closeAfter, reject, rejectionBytes } from "../rejection.js";
import type { RequestObserver, RequestRecord } from "../requestObserver.js";
import { resolveTimeouts } from "../timeouts.js";
import type { ConnectionProtocol } from "../types.js";
import { environFromUwsgiVars } from "./environ.js";
import { UwsgiPacketError, parseUwsgiPacket, type UwsgiPacket } from "./packet.js";
import { socketBody } from "./socketBody.js";
import { SocketResponseSink } from "./socketSink.js";
import { describeError, errorMessage } from "tsgi/helpers";

/** An HTTP request line starts with a method: upper-case letters then a space. */
const HTTP_METHOD_START = /^[A-Z]{3,10} /;

/**
 * The uwsgi protocol, for nginx's `uwsgi_pass`: one request per connection, a binary packet
 * of CGI variables, the body up to CONTENT_LENGTH, and a raw HTTP response ended by closing.
 * A malformed packet, a `modifier1` other than 0 or plain HTTP sent to this port (found from the
 * first byte, so the client is not left waiting) closes the connection and is logged.
 */
export class UwsgiProtocol implements ConnectionProtocol {
  readonly inFlight = new InFlightCounter();
  readonly #app: Application;
  readonly #settings: EnvironSettings;
  readonly #packetTimeoutMs: number;
  /** Connections that have not delivered a complete packet yet, with when they were accepted. */
  readonly #waiting = new Map<net.Socket, number>();
  readonly #sockets = new Set<net.Socket>();
  #drainGraceMs: number | undefined;
  #closedWaiters: Array<() => void> = [];

  constructor(
    app: Application,
    private readonly options: HttpServerOptions,
    private readonly observer: RequestObserver,
  ) {
    this.#app = observer.wrap(app);
    this.#packetTimeoutMs = resolveTimeouts(options).headersMs;
    this.#settings = {
      multiprocess: true,
      multithread: false,
      ...(options.scriptName !== undefined ? { scriptName: options.scriptName } : {}),
      ...(options.errors !== undefined ? { errors: options.errors } : {}),
    };
  }

  get connections(): number {
    return this.#sockets.size;
  }

  handleConnection(socket: net.Socket): void {
    this.#sockets.add(socket);
    this.#waiting.set(socket, performance.now());
    socket.once("close", () => {
      this.#sockets.delete(socket);
      this.#waiting.delete(socket);
      if (this.#sockets.size === 0) for (const resolve of this.#closedWaiters.splice(0)) resolve();
    });
    socket.on("error", () => socket.destroy());
    socket.setNoDelay(true);
    let buffered: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), this.#packetTimeoutMs);
    const onData = (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      let parsed;
      try {
        checkFirstBytes(buffered);
        parsed = parseUwsgiPacket(buffered);
      } catch (error) {
        this.#log(error);
        return socket.destroy();
      }
      if (!parsed.complete) return;
      clearTimeout(timer);
      socket.off("data", onData);
      socket.pause();
      this.#waiting.delete(socket);
      this.#serve(socket, parsed.packet, buffered.subarray(parsed.consumed)).catch((error: unknown) => {
        // Nothing here should throw; if it does, drop this connection rather than the worker.
        this.#log(error);
        socket.destroy();
      });
    };
    socket.on("data", onData);
    socket.once("close", () => clearTimeout(timer));
    if (socket.isPaused()) socket.resume(); // a PROXY gate paused it after putting bytes back
  }

  async #serve(socket: net.Socket, packet: UwsgiPacket, rest: Buffer): Promise<void> {
    const contentLength = packet.vars.get("CONTENT_LENGTH") ?? "";
    if (contentLength !== "" && !/^\d+$/.test(contentLength)) {
      return closeAfter(socket, rejectionBytes(reject(400, `invalid CONTENT_LENGTH "${contentLength.slice(0, 40)}"`)));
    }
    this.inFlight.start();
    try {
      const input = createInputStream(socketBody(socket, rest, Number(contentLength || 0)));
      const environ = environFromUwsgiVars(packet.vars, input, this.#settings);
      const record: RequestRecord = { startMs: performance.now(), environ, bodyRefused: false };
      const sink = new SocketResponseSink(socket, environ.SERVER_PROTOCOL);
      const result = await runApplication(this.#app, environ, sink, {
        onError: (error: unknown, failed: Environ) => this.#reportAppError(error, failed),
      });
      this.observer.complete(record, result);
    } finally {
      this.inFlight.finish();
    }
  }

  startDraining(graceMs: number): void {
    // One request per connection: there is no keep-alive to turn off; connections that sent no packet yet go after the grace.
    this.#drainGraceMs = graceMs;
    this.closeIdleConnections();
    setTimeout(() => this.closeIdleConnections(), graceMs).unref();
  }

  whenClosed(): Promise<void> {
    if (this.#sockets.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#closedWaiters.push(resolve));
  }

  closeIdleConnections(): void {
    const now = performance.now();
    const grace = this.#drainGraceMs ?? 0;
    for (const [socket, since] of this.#waiting) if (now - since >= grace) socket.destroy();
  }

  destroyConnections(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  #reportAppError(error: unknown, environ: Environ): void {
    if (this.options.onError) return this.options.onError(error);
    environ["tsgi.errors"].write(`tsgi-worker: error in app: ${describeError(error)}\n`);
  }

  #log(error: unknown): void {
    const text = `tsgi-worker: ${errorMessage(error)}\n`;
    if (this.options.errors) this.options.errors.write(text);
    else process.stderr.write(text);
  }
}

/**
 * Refuses, from the first bytes, what cannot be a uwsgi request for a WSGI-style app: plain HTTP
 * (a client or a proxy pointed at the wrong port would otherwise wait for a 20 KB "packet"),
 * and a `modifier1` other than 0.
 */
function checkFirstBytes(data: Buffer): void {
  const modifier1 = data[0] as number;
  if (modifier1 === 0) return;
  if (HTTP_METHOD_START.test(data.toString("latin1", 0, Math.min(data.length, 12))) || (data.length < 12 && /^[A-Z]+$/.test(data.toString("latin1")))) {
    throw new UwsgiPacketError("this is plain HTTP on a uwsgi socket: point HTTP clients at a --protocol http bind, or use nginx's uwsgi_pass here");
  }
  throw new UwsgiPacketError(`modifier1 ${modifier1} is not served (only 0, WSGI-style apps)`);
}
