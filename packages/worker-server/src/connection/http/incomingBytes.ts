import { HeadReader, type HeadParse, type ParserLimits } from "./headParser.js";

/** Smallest store allocated once bytes must be joined (most heads fit). */
const MIN_STORE = 4 * 1024;

/**
 * The bytes a connection has received and not yet handed on: a partial head, or pipelined
 * requests waiting while one is served. Pieces are joined into a store that doubles as it
 * fills, and heads are read through the parser's {@link HeadReader}, so a head trickled in one
 * byte at a time costs O(n) copies and one parse per line, not a concatenation and a full parse
 * per piece (O(n²): seconds of CPU for a 64 KiB head).
 *
 * Views handed out (`bytes`, and the body slices taken from them) stay valid: the store is only
 * written past its last handed-out byte, and a new store is allocated rather than one compacted.
 *
 * @example
 * const incoming = new IncomingBytes();
 * incoming.append(chunk);
 * const parsed = incoming.readHead(limits);
 * if (parsed.kind === "head") incoming.consume(parsed.head.headBytes);
 */
export class IncomingBytes {
  readonly #reader = new HeadReader();
  #store: Buffer | undefined;
  #start = 0;
  #end = 0;
  /** The store may be written past `#end` (we allocated it; it is not a socket's chunk). */
  #owned = false;
  /** Bytes copied into stores so far: the cost that must stay linear (read by the tests). */
  copiedBytes = 0;

  /** The bytes held, or undefined when none. */
  get bytes(): Buffer | undefined {
    const store = this.#store;
    return store === undefined ? undefined : store.subarray(this.#start, this.#end);
  }

  /** Full head parses so far (HeadReader's count; read by the tests). */
  get headParses(): number {
    return this.#reader.parses;
  }

  get length(): number {
    return this.#end - this.#start;
  }

  append(chunk: Buffer): void {
    const store = this.#store;
    if (store === undefined) {
      this.#set(chunk, false);
      return;
    }
    const length = this.#end - this.#start;
    if (this.#owned && this.#end + chunk.length <= store.length) {
      chunk.copy(store, this.#end);
      this.#end += chunk.length;
      this.copiedBytes += chunk.length;
      return;
    }
    const grown = Buffer.allocUnsafe(Math.max(MIN_STORE, 2 * (length + chunk.length)));
    store.copy(grown, 0, this.#start, this.#end);
    chunk.copy(grown, length);
    this.copiedBytes += length + chunk.length;
    this.#store = grown;
    this.#start = 0;
    this.#end = length + chunk.length;
    this.#owned = true;
  }

  /** Reads the head at the start of the bytes held (see HeadReader: same answers as parseHead). */
  readHead(limits: ParserLimits): HeadParse {
    return this.#reader.read(this.bytes ?? Buffer.alloc(0), limits);
  }

  /** Drops the first `count` bytes (a head that was read). */
  consume(count: number): void {
    this.#start += count;
    if (this.#start >= this.#end) this.clear();
  }

  /** Replaces what is held by `rest` (the bytes a request body did not take), or by nothing. */
  replace(rest: Buffer | undefined): void {
    if (rest === undefined || rest.length === 0) this.clear();
    else this.#set(rest, false);
  }

  clear(): void {
    this.#store = undefined;
    this.#start = this.#end = 0;
    this.#owned = false;
  }

  #set(buffer: Buffer, owned: boolean): void {
    this.#store = buffer;
    this.#start = 0;
    this.#end = buffer.length;
    this.#owned = owned;
  }
}
