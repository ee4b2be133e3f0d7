import { HttpResponseBase, type ResponseOptions } from "./base.js";
import { concatBytes, toBytes, type Chunk } from "./bytes.js";

/** What `new HttpResponse(content)` accepts: text, bytes, or an iterable of them (consumed at once). */
export type ResponseContent = Chunk | Iterable<Chunk>;

/**
 * A response whose body is in memory (Django's `HttpResponse`).
 *
 * @example
 * return new HttpResponse("<h1>Hello</h1>");
 * return new HttpResponse("not here", { status: 404, contentType: "text/plain" });
 */
export class HttpResponse extends HttpResponseBase {
  readonly streaming = false;
  // Set by the content setter the constructor calls (no empty array made first).
  #chunks!: Uint8Array[];

  constructor(content: ResponseContent = "", options?: ResponseOptions) {
    super(options);
    this.content = content;
  }

  /** The body bytes. Setting it replaces the body. */
  get content(): Uint8Array {
    // Already one chunk (the usual case, read by CommonMiddleware and again to send it): nothing to join.
    const first = this.#chunks[0];
    if (this.#chunks.length === 1 && first !== undefined && first.length > 0) return first;
    const joined = concatBytes(this.#chunks);
    this.#chunks = joined.length === 0 ? [] : [joined];
    return joined;
  }

  set content(value: ResponseContent) {
    if (typeof value === "string" || value instanceof Uint8Array) {
      this.#chunks = [toBytes(value, this.charset)];
    } else if (value !== null && typeof value === "object" && Symbol.iterator in value) {
      this.#chunks = Array.from(value, (chunk) => {
        if (typeof chunk !== "string" && !(chunk instanceof Uint8Array)) {
          throw new TypeError(`HttpResponse content chunks must be strings or Uint8Array, got ${typeof chunk}.`);
        }
        return toBytes(chunk, this.charset);
      });
    } else {
      throw new TypeError(`HttpResponse content must be a string, a Uint8Array or an iterable of them, got ${value === null ? "null" : typeof value}. Use JsonResponse for data.`);
    }
  }

  /** The body decoded with the response charset. */
  get text(): string {
    return new TextDecoder(this.charset).decode(this.content);
  }

  /** Appends to the body (file-like use, as in Django). */
  write(chunk: Chunk): void {
    this.#chunks.push(toBytes(chunk, this.charset));
  }

  bodyChunks(): Iterable<Uint8Array> {
    const content = this.content;
    return content.length === 0 ? [] : [content];
  }
}
