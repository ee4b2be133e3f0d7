import type net from "node:net";

/** Bytes queued before they are written without waiting for the end of the turn. */
const BATCH_LIMIT = 64 * 1024;

/**
 * A connection's outgoing bytes: what is sent during one turn of the event loop is written
 * together on the next tick (the responses to pipelined requests, sync or async apps alike, leave
 * in one write); past 64 KiB it is written at once and the socket's backpressure is reported.
 *
 * @example
 * const output = new OutputQueue(socket);
 * output.send(responseBytes); // true: keep going; false: wait for "drain"
 * output.endAfterFlush();     // FIN once everything queued is out
 */
export class OutputQueue {
  readonly #socket: net.Socket;
  #parts: Buffer[] = [];
  #bytes = 0;
  #scheduled = false;
  #endAfter = false;

  constructor(socket: net.Socket) {
    this.#socket = socket;
  }

  /** Queues `data`; false once the socket's buffer is past its high-water mark. */
  send(data: Buffer): boolean {
    this.#parts.push(data);
    this.#bytes += data.length;
    // A batch is for many small responses; a large one goes out now, with the socket's backpressure.
    if (this.#bytes > BATCH_LIMIT) return this.#write();
    this.#schedule();
    return true;
  }

  /** Sends FIN once what is queued is written. */
  endAfterFlush(): void {
    this.#endAfter = true;
    this.#schedule();
  }

  /** Writes what is queued now (before the socket is destroyed: a cut response still shows its head). */
  flushNow(): void {
    if (this.#parts.length > 0 && !this.#socket.destroyed) this.#write();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    process.nextTick(this.#flush);
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    if (this.#socket.destroyed) return;
    if (this.#parts.length > 0) this.#write();
    if (this.#endAfter) {
      this.#endAfter = false;
      this.#socket.end();
    }
  };

  #write(): boolean {
    const parts = this.#parts;
    const total = this.#bytes;
    this.#parts = [];
    this.#bytes = 0;
    const socket = this.#socket;
    if (parts.length === 1) return socket.write(parts[0] as Buffer);
    if (total <= BATCH_LIMIT) return socket.write(Buffer.concat(parts, total));
    socket.cork();
    let ok = true;
    for (const part of parts) ok = socket.write(part);
    socket.uncork();
    return ok;
  }
}
