import type net from "node:net";
import { waitForDrain } from "tsgi/helpers";
import { assembleEnviron, createInputStream, runApplication, type ConnectionInfo, type Environ, type RunOptions, type RunResult } from "tsgi";
import type { ProxiedAddress } from "../../proxy/proxyProtocol.js";
import { reject, rejectionBytes, type Rejection } from "../rejection.js";
import { requestConnectionInfo } from "./clientOrigin.js";
import type { HttpContext } from "./context.js";
import type { ParsedHead } from "./headParser.js";
import { CONTINUE, idleVerdict, mayReuse, type Exchange } from "./exchange.js";
import { IncomingBytes } from "./incomingBytes.js";
import { ReadGate } from "./readGate.js";
import { IncompleteBodyError, RequestBodyRefusedError } from "../bodyErrors.js";
import { NO_BODY, RequestBody, type BodySource } from "./requestBody.js";
import { OutputQueue } from "./outputQueue.js";
import { ResponseWriter, type ResponseTransport } from "./responseWriter.js";
import { serveUpgrade, wantsWebSocket } from "./upgrade.js";

/** Waiting for (the rest of) a request head; `Busy`: a request is being served; `Closing`: FIN sent, lingering. */
const enum Phase {
  Idle,
  Busy,
  Closing,
  Closed,
}

/** Bytes of pipelined requests held while one is served, before the socket is paused. */
const BACKLOG_LIMIT = 256 * 1024;
/** An unread Content-Length body up to this size is read and dropped to keep the connection; a larger one closes it. */
const DISCARD_LIMIT = 1024 * 1024;
/** How long a closing connection keeps reading and dropping what the client still sends, so our answer is not lost to a reset. */
const LINGER_MS = 5_000;

/**
 * One HTTP/1.1 connection, served top to bottom as Gunicorn's `handle_request` does: read, parse
 * the head, check it, build the environ in one pass, run the app into a {@link ResponseWriter},
 * log and count, then the next request. Requests are served one at a time in order; the responses
 * of pipelined requests that arrived together go out in one write. Timeouts are enforced by the
 * server's periodic {@link HttpConnection.sweep}, from the connection's last-active times.
 *
 * @example
 * const connection = new HttpConnection(socket, context, undefined, "http", () => connections.delete(connection));
 */
export class HttpConnection implements ResponseTransport, BodySource {
  readonly #socket: net.Socket;
  readonly #context: HttpContext;
  readonly #info: ConnectionInfo;
  readonly #peerTrusted: boolean;
  readonly #onClosed: (connection: HttpConnection) => void;
  readonly #runOptions: RunOptions;
  #phase = Phase.Idle;
  /** Received bytes not parsed yet (a partial head, or pipelined requests). */
  readonly #incoming = new IncomingBytes();
  #exchange: Exchange | undefined;
  #requests = 0;
  #lastActiveMs: number;
  /** When the first byte of the head being read arrived (0: none yet). */
  #headStartMs = 0;
  #closingSinceMs = 0;
  /** Inside the loop that serves what one read brought (it must not be re-entered). */
  #processing = false;
  readonly #output: OutputQueue;
  readonly #readGate: ReadGate;
  #peerEnded = false;
  #refusedEnviron: Environ | undefined;

  constructor(socket: net.Socket, context: HttpContext, proxied: ProxiedAddress | undefined, scheme: string, onClosed: (connection: HttpConnection) => void) {
    this.#socket = socket;
    this.#output = new OutputQueue(socket);
    this.#readGate = new ReadGate(socket);
    this.#context = context;
    this.#onClosed = onClosed;
    this.#lastActiveMs = performance.now();
    this.#info = {
      remoteAddress: proxied?.address ?? socket.remoteAddress,
      remotePort: proxied?.port ?? socket.remotePort,
      localAddress: socket.localAddress,
      localPort: socket.localPort,
      scheme,
    };
    this.#peerTrusted = context.forwardedTrust.allows(this.#info.remoteAddress);
    this.#runOptions = { onError: (error, environ) => this.#reportError(error, environ) };
    // The client may half-close after its request: the answer must still go out.
    socket.allowHalfOpen = true;
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("error", this.#onError);
    socket.on("close", this.#onClose);
    if (socket.isPaused()) socket.resume(); // a PROXY gate paused it after putting bytes back
  }

  // --- reading ---------------------------------------------------------------------------

  readonly #onData = (chunk: Buffer): void => {
    const now = performance.now();
    this.#lastActiveMs = now;
    const phase = this.#phase;
    if (phase === Phase.Idle) {
      if (this.#incoming.length === 0) this.#headStartMs = now;
      this.#incoming.append(chunk);
      this.#process();
    } else if (phase === Phase.Busy) {
      const exchange = this.#exchange as Exchange;
      const body = exchange.body;
      if (body !== undefined && !body.done) {
        const rest = body.feed(chunk);
        if (rest !== undefined) this.#incoming.append(rest);
        if (body.done && exchange.writer.ended && this.#phase === Phase.Busy) this.#nextRequest();
      } else {
        this.#incoming.append(chunk);
        if (this.#incoming.length > BACKLOG_LIMIT) {
          this.#readGate.set("backlog", true);
        }
      }
    }
    // Closing: what the client still sends is read and dropped (lingering close).
  };

  readonly #onEnd = (): void => {
    this.#peerEnded = true;
    if (this.#phase === Phase.Busy) {
      this.#exchange?.body?.fail(new IncompleteBodyError());
      return; // the response still goes out, then the connection closes
    }
    if (this.#phase === Phase.Idle && this.#incoming.length > 0) this.#process();
    if (this.#phase === Phase.Idle) this.#close();
    else if (this.#phase === Phase.Closing) this.#socket.destroy();
  };

  readonly #onError = (): void => {
    this.#socket.destroy();
  };

  readonly #onClose = (): void => {
    this.#phase = Phase.Closed;
    const exchange = this.#exchange;
    if (exchange !== undefined) {
      exchange.body?.fail(new IncompleteBodyError());
      exchange.writer.connectionLost();
    }
    this.#onClosed(this);
  };

  /** Serves every complete request in the buffer, one after the other, while each finishes at once. */
  #process(): void {
    if (this.#processing) return;
    this.#processing = true;
    try {
      const incoming = this.#incoming;
      while (this.#phase === Phase.Idle && incoming.length > 0) {
        const parsed = incoming.readHead(this.#context.limits);
        if (parsed.kind === "incomplete") break;
        if (parsed.kind === "reject") {
          this.#refuse(parsed.rejection);
          break;
        }
        const head = parsed.head;
        incoming.consume(head.headBytes);
        this.#serve(head);
      }
    } catch (error) {
      // A bug of ours must cost this connection only, never the worker.
      this.#context.reportError(error, this.#exchange?.record.environ);
      this.#socket.destroy();
    } finally {
      this.#processing = false;
    }
  }

  // --- one request -----------------------------------------------------------------------

  #serve(head: ParsedHead): void {
    const context = this.#context;
    const info = this.#peerTrusted ? requestConnectionInfo(this.#info, head.rawHeaders, context.forwardedTrust) : this.#info;
    if ("code" in info) return this.#refuse(info);
    if (wantsWebSocket(head, context)) return this.#handOver(head, info);
    const body = head.body.kind === "none" ? undefined : new RequestBody(this, head.body, context.limits);
    const input = createInputStream(body ?? NO_BODY, body !== undefined && head.expectContinue ? { onFirstRead: this.#sendContinue } : {});
    const environ = assembleEnviron(head, info, input, context.environSettings, { RAW_URI: head.target, REQUEST_URI: head.target });
    const exchange: Exchange = {
      head,
      body,
      writer: new ResponseWriter(this, head.method, head.versionMinor === 1),
      record: { startMs: performance.now(), environ, bodyRefused: false },
      continueSent: false,
    };
    this.#exchange = exchange;
    this.#phase = Phase.Busy;
    this.#requests++;
    // Body bytes that came with the head. A malformed body is answered at once (400, close), and
    // the app still runs: its reads fail, as they would for bytes arriving later.
    const pending = this.#incoming.bytes;
    if (body !== undefined && pending !== undefined) this.#incoming.replace(body.feed(pending));
    context.inFlight.start();
    runApplication(context.app, environ, exchange.writer, this.#runOptions).then(
      (result) => this.#finished(exchange, result),
      (error: unknown) => this.#finished(exchange, { bytesSent: 0, aborted: true, error }),
    );
  }

  /** A WebSocket request: the socket leaves HTTP for good, with the bytes read past its head (upgrade.ts). */
  #handOver(head: ParsedHead, info: ConnectionInfo): void {
    const socket = this.#socket;
    const buffered = this.#incoming.bytes ?? Buffer.alloc(0);
    this.#incoming.clear();
    this.#phase = Phase.Closed; // the sweep and the drain leave it alone; its close still removes it from the server's set
    socket.pause();
    socket.off("data", this.#onData);
    socket.off("end", this.#onEnd);
    socket.off("error", this.#onError);
    void serveUpgrade(socket, head, buffered, info, this.#context);
  }

  readonly #sendContinue = (): void => {
    const exchange = this.#exchange;
    if (exchange === undefined || exchange.continueSent || exchange.writer.started || this.#phase !== Phase.Busy) return;
    exchange.continueSent = true;
    this.send(CONTINUE);
  };

  /** After the app's run: the response is out (or abandoned); report it. */
  #finished(exchange: Exchange, result: RunResult): void {
    try {
      if (!exchange.writer.ended && this.#phase < Phase.Closing) this.#socket.destroy();
      this.#context.observer.complete(exchange.record, result);
    } finally {
      this.#context.inFlight.finish();
    }
  }

  #reportError(error: unknown, environ: Environ): void {
    if (environ === this.#refusedEnviron) return; // the client's doing, already answered
    this.#context.reportError(error, environ);
  }

  // --- ResponseTransport -----------------------------------------------------------------

  get keepAliveLines(): string {
    return this.#context.keepAliveLines;
  }

  get gone(): boolean {
    return this.#phase >= Phase.Closing;
  }

  send(data: Buffer): boolean {
    return this.#output.send(data);
  }

  whenWritable(): Promise<void> {
    return waitForDrain(this.#socket);
  }

  mayKeepAlive(): boolean {
    const exchange = this.#exchange;
    return exchange !== undefined && mayReuse(exchange, this.#peerEnded, this.#context);
  }

  responseEnded(keepAlive: boolean): void {
    if (this.#phase !== Phase.Busy) return;
    this.#lastActiveMs = performance.now();
    const body = (this.#exchange as Exchange).body;
    if (!keepAlive || (body !== undefined && !body.done && body.remaining > DISCARD_LIMIT)) return this.#close();
    if (body !== undefined && !body.done) {
      // The app left part of the body unread: read and drop the rest, then the next request.
      body.discard();
      return;
    }
    this.#nextRequest();
  }

  destroy(): void {
    // What is queued (the head of a response the app then failed) goes out first: the client sees it cut short.
    this.#output.flushNow();
    this.#socket.destroy();
  }

  // --- BodySource ------------------------------------------------------------------------

  pauseReading(): void {
    this.#readGate.set("body", true);
  }

  resumeReading(): void {
    this.#readGate.set("body", false);
  }

  refuseBody(rejection: Rejection): void {
    this.#refuse(rejection);
  }

  // --- life cycle ------------------------------------------------------------------------

  #nextRequest(): void {
    this.#exchange = undefined;
    this.#phase = Phase.Idle;
    const pending = this.#incoming.length > 0;
    this.#headStartMs = pending ? performance.now() : 0;
    if (this.#readGate.backlogPaused) this.#readGate.set("backlog", false);
    if (this.#peerEnded && !pending) return this.#close();
    if (pending) this.#process();
  }

  /** Answers a request refused before or while its body was read, then closes. */
  #refuse(rejection: Rejection): void {
    const exchange = this.#exchange;
    if (exchange !== undefined) {
      exchange.record.bodyRefused = true;
      this.#refusedEnviron = exchange.record.environ;
      exchange.body?.fail(new RequestBodyRefusedError(rejection));
      if (exchange.writer.started) return void this.#socket.destroy(); // too late for an answer: cut
    }
    if (this.#phase >= Phase.Closing) return;
    this.send(rejectionBytes(rejection));
    this.#close();
  }

  /** Sends FIN once queued bytes are out, then reads and drops what the client still sends until it closes. */
  #close(): void {
    if (this.#phase >= Phase.Closing) return;
    this.#phase = Phase.Closing;
    this.#closingSinceMs = performance.now();
    this.#incoming.clear();
    this.#exchange?.writer.connectionLost();
    this.#output.endAfterFlush();
    this.#readGate.closing();
  }

  /**
   * Enforces the timeouts at `now` (`performance.now()`): called by the server's sweep about
   * once a second (more often while draining) for every connection, instead of a timer per request.
   */
  sweep(now: number): void {
    const context = this.#context;
    const timeouts = context.timeouts;
    switch (this.#phase) {
      case Phase.Idle: {
        const verdict = idleVerdict(context, { now, lastActiveMs: this.#lastActiveMs, headStartMs: this.#headStartMs, headPending: this.#incoming.length > 0, requests: this.#requests });
        if (verdict === "headTimeout") this.#refuse(reject(408, "the request head was not received in time"));
        else if (verdict === "close") this.#close();
        return;
      }
      case Phase.Busy: {
        const exchange = this.#exchange as Exchange;
        const body = exchange.body;
        if (body !== undefined && !body.done && !exchange.writer.ended && timeouts.requestMs > 0 && now - exchange.record.startMs > timeouts.requestMs) {
          this.#refuse(reject(408, "the request body was not received in time"));
        }
        return;
      }
      case Phase.Closing:
        if (now - this.#closingSinceMs > LINGER_MS) this.#socket.destroy();
        return;
      default:
        return;
    }
  }

  /** Closes the connection now if it is between requests (and, while draining, idle past the grace). */
  closeIfIdle(now: number): void {
    if (this.#phase !== Phase.Idle || this.#incoming.length > 0) return;
    if (this.#context.draining && now - this.#lastActiveMs < this.#context.drainGraceMs) return;
    this.#close();
  }
}
