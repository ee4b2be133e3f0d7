import type { Rejection } from "../rejection.js";
import { ChunkedBodyError, ChunkedDecoder, type ParserLimits } from "./headParser.js";

/** What a request body needs from its connection. */
export interface BodySource {
  /** Stop reading the socket: the app is not keeping up. */
  pauseReading(): void;
  /** Read again. */
  resumeReading(): void;
  /** The body's framing is broken: answer for it and close. */
  refuseBody(rejection: Rejection): void;
}

/** Unread body bytes held before the socket is paused (backpressure to the client). */
const HIGH_WATER = 64 * 1024;

/**
 * One request's body, as the connection feeds it bytes and the app pulls them (`tsgi.input`'s
 * source): Content-Length or chunked framing, de-chunked; the socket is paused while more than
 * 64 KiB wait unread. Once the response is complete, `discard()` drops what is left so the next
 * request can be read.
 *
 * @example
 * const body = new RequestBody(connection, { kind: "length", length: 5 }, context.limits);
 * const rest = body.feed(bytesAfterHead); // bytes beyond the body belong to the next request
 * const input = createInputStream(body);
 */
export class RequestBody implements AsyncIterable<Uint8Array>, AsyncIterator<Uint8Array> {
  readonly #source: BodySource;
  readonly #decoder: ChunkedDecoder | undefined;
  #remaining: number;
  #queue: Buffer[] = [];
  #queued = 0;
  #done = false;
  #discarding = false;
  #paused = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  /** `limits`: the server's `--limit-request-fields` / `--limit-request-field-size`, which bound a chunked body's trailer fields as they bound header fields. */
  constructor(source: BodySource, framing: { kind: "length"; length: number } | { kind: "chunked" }, limits: Pick<ParserLimits, "fields" | "fieldSize">) {
    this.#source = source;
    this.#decoder = framing.kind === "chunked" ? new ChunkedDecoder(limits) : undefined;
    this.#remaining = framing.kind === "length" ? framing.length : Infinity;
    // Content-Length: 0 has all its bytes already: no feed() will come to mark it done.
    this.#done = this.#remaining === 0;
  }

  /** True once the last body byte arrived. */
  get done(): boolean {
    return this.#done;
  }

  /**
   * Takes bytes from the connection; returns those past the end of the body (the next request's),
   * if any. The caller checks `done` afterwards.
   */
  feed(data: Buffer): Buffer | undefined {
    if (this.#done || this.#error !== undefined) return data;
    let rest: Buffer | undefined;
    const decoder = this.#decoder;
    if (decoder === undefined) {
      const take = Math.min(this.#remaining, data.length);
      this.#push(take === data.length ? data : data.subarray(0, take));
      this.#remaining -= take;
      if (take < data.length) rest = data.subarray(take);
      if (this.#remaining === 0) this.#done = true;
    } else {
      let decoded;
      try {
        decoded = decoder.decode(data);
      } catch (error) {
        if (!(error instanceof ChunkedBodyError)) throw error;
        this.#source.refuseBody(error.rejection);
        return undefined;
      }
      for (const piece of decoded.data) this.#push(piece);
      if (decoded.consumed < data.length) rest = data.subarray(decoded.consumed);
      if (decoded.done) this.#done = true;
    }
    if (this.#done) {
      this.#wakeReader();
    } else if (this.#queued > HIGH_WATER && !this.#paused) {
      this.#paused = true;
      this.#source.pauseReading();
    }
    return rest;
  }

  /** Body bytes still to come, when the length is known (Infinity for a chunked body). */
  get remaining(): number {
    return this.#remaining;
  }

  /** The response is complete: drop what the app left unread, and what is still to come. */
  discard(): void {
    this.#discarding = true;
    this.#queue = [];
    this.#queued = 0;
    this.#resume();
  }

  /** Makes the app's pending and next reads fail. */
  fail(error: Error): void {
    if (this.#done) return;
    this.#error ??= error;
    this.#wakeReader();
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#queue.length > 0) {
      const value = this.#queue.shift() as Buffer;
      this.#queued -= value.length;
      if (this.#queued <= HIGH_WATER / 2) this.#resume();
      return Promise.resolve({ value, done: false });
    }
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    if (this.#error !== undefined) return Promise.reject(this.#error);
    this.#resume();
    return new Promise((resolve) => {
      this.#wake = () => resolve(this.next());
    });
  }

  #push(piece: Buffer): void {
    if (piece.length === 0 || this.#discarding) return;
    this.#queue.push(piece);
    this.#queued += piece.length;
    this.#wakeReader();
  }

  #wakeReader(): void {
    const wake = this.#wake;
    if (wake === undefined) return;
    this.#wake = undefined;
    wake();
  }

  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#source.resumeReading();
  }
}

/** The source of `tsgi.input` for a request without a body. */
export const NO_BODY: Iterable<Uint8Array> = [];
