import type { Socket } from "node:net";
import { ConnectionClosedError, RawClientTimeoutError } from "./errors.js";

/** Options for {@link SocketByteReader}. */
export interface ByteReaderOptions {
  /** How long one read may wait for the server before failing (a safety net, not an assertion). */
  timeoutMs: number;
}

const LF = 0x0a;

/**
 * Buffers what a socket receives and hands it out as lines or byte counts,
 * waiting for the server when the buffer runs short. Chunks are kept as a
 * queue (never re-concatenated) so a 200 MiB body costs no quadratic copying.
 * One read at a time: await each before starting the next.
 *
 * @example
 * const reader = new SocketByteReader(socket, { timeoutMs: 30_000 });
 * const statusLine = await reader.readLine("the status line");
 */
export class SocketByteReader {
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
  #ended = false;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;
  readonly #timeoutMs: number;

  constructor(socket: Socket, options: ByteReaderOptions) {
    this.#timeoutMs = options.timeoutMs;
    socket.on("data", (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      this.#notify();
    });
    socket.on("end", () => this.#finish());
    socket.on("close", () => this.#finish());
    // A reset by the server is an ending like any other for the checks: they look at what arrived.
    socket.on("error", (error: Error) => {
      this.#failure ??= error;
      this.#finish();
    });
  }

  /** True once the server has closed its side and every buffered byte has been read. */
  get exhausted(): boolean {
    return this.#ended && this.#buffered === 0;
  }

  /** True once the server has closed its side (bytes may still be buffered). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Bytes received but not read yet. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Reads one line ending in LF and returns it as latin-1 without the CRLF; undefined at a clean end. */
  async readLine(waitingFor: string, maxLength = 64 * 1024): Promise<string | undefined> {
    for (;;) {
      const end = this.#indexOfLineFeed();
      if (end >= 0) {
        const line = this.#take(end + 1).toString("latin1");
        return line.endsWith("\r\n") ? line.slice(0, -2) : line.slice(0, -1);
      }
      if (this.#buffered > maxLength) throw new ConnectionClosedError(`${waitingFor} (line longer than ${maxLength} bytes)`);
      if (this.#ended) {
        if (this.#buffered === 0) return undefined;
        throw new ConnectionClosedError(`${waitingFor} (connection closed in the middle of a line)`);
      }
      await this.#waitForData(waitingFor);
    }
  }

  /** Reads up to `max` bytes, waiting until at least one is there; an empty buffer means the server closed. */
  async readSome(waitingFor: string, max = Number.POSITIVE_INFINITY): Promise<Buffer> {
    while (this.#buffered === 0) {
      if (this.#ended) return Buffer.alloc(0);
      await this.#waitForData(waitingFor);
    }
    const first = this.#chunks[0];
    return this.#take(Math.min(max, first ? first.length : 0));
  }

  /** Reads exactly `length` bytes, or fewer when the server closes first. */
  async readUpTo(waitingFor: string, length: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let remaining = length;
    while (remaining > 0) {
      const part = await this.readSome(waitingFor, remaining);
      if (part.length === 0) break;
      parts.push(part);
      remaining -= part.length;
    }
    return parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts);
  }

  /** Waits until the server closes its side of the connection, keeping what arrives before that. */
  async waitForEnd(waitingFor: string): Promise<void> {
    while (!this.#ended) await this.#waitForData(waitingFor);
  }

  /** The socket error that ended the connection, if it was not a clean close. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  #indexOfLineFeed(): number {
    let offset = 0;
    for (const chunk of this.#chunks) {
      const index = chunk.indexOf(LF);
      if (index >= 0) return offset + index;
      offset += chunk.length;
    }
    return -1;
  }

  #take(length: number): Buffer {
    const parts: Buffer[] = [];
    let remaining = length;
    while (remaining > 0) {
      const chunk = this.#chunks[0];
      if (!chunk) break;
      if (chunk.length <= remaining) {
        parts.push(chunk);
        this.#chunks.shift();
        remaining -= chunk.length;
      } else {
        parts.push(chunk.subarray(0, remaining));
        this.#chunks[0] = chunk.subarray(remaining);
        remaining = 0;
      }
    }
    const taken = parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts);
    this.#buffered -= taken.length;
    return taken;
  }

  #finish(): void {
    this.#ended = true;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #waitForData(waitingFor: string): Promise<void> {
    if (this.#wake) {
      // Two reads racing on one connection would each take bytes meant for the other.
      return Promise.reject(new Error(`Overlapping reads on one connection (while waiting for ${waitingFor}): await each read first.`));
    }
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        reject(new RawClientTimeoutError(waitingFor, this.#timeoutMs));
      }, this.#timeoutMs);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
