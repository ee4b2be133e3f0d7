import type { InputStream } from "../types.js";

/** Options for {@link createInputStream}. */
export interface InputStreamOptions {
  /** Called once, before the first read pulls from the source (servers send `100 Continue` here). */
  onFirstRead?: () => void;
}

const EMPTY = new Uint8Array(0);
const NEWLINE = 0x0a;

/**
 * Wraps a byte source (a request body already bounded at `CONTENT_LENGTH` and
 * de-chunked by the server) as `tsgi.input`. Iteration yields lines, as a Python
 * file does; `read(size)` is the fast path for bulk reads.
 *
 * @example
 * const input = createInputStream(req, { onFirstRead: () => res.writeContinue() });
 * const body = await input.read();
 */
export function createInputStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: InputStreamOptions = {},
): InputStream {
  return new BufferedInputStream(source, options);
}

class BufferedInputStream implements InputStream {
  #source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  #iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array> | undefined;
  #onFirstRead: (() => void) | undefined;
  #buffered: Uint8Array[] = [];
  #bufferedBytes = 0;
  #ended = false;

  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: InputStreamOptions) {
    this.#source = source;
    this.#onFirstRead = options.onFirstRead;
  }

  async read(size?: number): Promise<Uint8Array> {
    const wanted = size === undefined || size < 0 ? Infinity : size;
    if (wanted === 0) return EMPTY;
    while (this.#bufferedBytes < wanted && (await this.#pull()));
    return this.#take(Math.min(wanted, this.#bufferedBytes));
  }

  async readline(limit?: number): Promise<Uint8Array> {
    const max = limit === undefined || limit < 0 ? Infinity : limit;
    if (max === 0) return EMPTY;
    let scanned = 0;
    for (;;) {
      const newline = this.#indexOfNewline(scanned);
      if (newline !== -1) return this.#take(Math.min(newline + 1, max));
      if (this.#bufferedBytes >= max) return this.#take(max);
      scanned = this.#bufferedBytes;
      if (!(await this.#pull())) return this.#take(Math.min(this.#bufferedBytes, max));
    }
  }

  async readlines(hint?: number): Promise<Uint8Array[]> {
    const lines: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const line = await this.readline();
      if (line.length === 0) return lines;
      lines.push(line);
      total += line.length;
      if (hint !== undefined && hint > 0 && total >= hint) return lines;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const line = await this.readline();
      if (line.length === 0) return;
      yield line;
    }
  }

  /** Pulls one chunk from the source into the buffer; false at end of body. */
  async #pull(): Promise<boolean> {
    if (this.#ended) return false;
    if (this.#iterator === undefined) {
      this.#onFirstRead?.();
      const source = this.#source;
      this.#iterator =
        Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<Uint8Array>)[Symbol.iterator]();
    }
    for (;;) {
      const next = await this.#iterator.next();
      if (next.done) {
        this.#ended = true;
        return false;
      }
      if (next.value.length === 0) continue;
      this.#buffered.push(next.value);
      this.#bufferedBytes += next.value.length;
      return true;
    }
  }

  #indexOfNewline(from: number): number {
    let offset = 0;
    for (const chunk of this.#buffered) {
      if (offset + chunk.length > from) {
        const found = chunk.indexOf(NEWLINE, Math.max(0, from - offset));
        if (found !== -1) return offset + found;
      }
      offset += chunk.length;
    }
    return -1;
  }

  /** Removes and returns the first `count` buffered bytes, copying only when a read spans chunks. */
  #take(count: number): Uint8Array {
    if (count === 0) return EMPTY;
    const first = this.#buffered[0] as Uint8Array;
    this.#bufferedBytes -= count;
    if (first.length === count) {
      this.#buffered.shift();
      return first;
    }
    if (first.length > count) {
      this.#buffered[0] = first.subarray(count);
      return first.subarray(0, count);
    }
    const out = Buffer.allocUnsafe(count); // every byte is written below: no zero-fill
    let written = 0;
    while (written < count) {
      const chunk = this.#buffered[0] as Uint8Array;
      const n = Math.min(chunk.length, count - written);
      out.set(n === chunk.length ? chunk : chunk.subarray(0, n), written);
      written += n;
      if (n === chunk.length) this.#buffered.shift();
      else this.#buffered[0] = chunk.subarray(n);
    }
    return out;
  }
}
