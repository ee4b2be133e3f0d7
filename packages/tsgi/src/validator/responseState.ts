import { statusForbidsBody } from "../http/rules.js";
import { check } from "./validationError.js";

/**
 * What the validator knows about one response: whether `startResponse` was
 * called, what it declared, and how many body bytes went to the server
 * (through `write()` or the body). Shared by the startResponse, write and body wrappers.
 *
 * @example
 * const state = new ResponseState(environ.REQUEST_METHOD === "HEAD");
 * state.start(200, 5);
 * state.noteChunk(new TextEncoder().encode("hello"));
 * state.noteBodyDone(); // would throw content-length-short after fewer than 5 bytes
 */
export class ResponseState {
  #code: number | undefined;
  #declaredLength: number | undefined;
  #bytes = 0;
  #headersSent = false;

  /** True once the app accepted `tsgi.websocket`: the response is the 101, no startResponse, an empty body. */
  websocketAccepted = false;

  constructor(readonly isHead: boolean) {}

  /** True once `startResponse` has been called successfully. */
  get started(): boolean {
    return this.#code !== undefined;
  }

  /** True once a non-empty chunk reached the server, which then sends the headers (SPEC.md, "Buffering and Streaming"). */
  get headersSent(): boolean {
    return this.#headersSent;
  }

  /** Records a (first or excInfo) `startResponse` call. */
  start(code: number, declaredLength: number | undefined): void {
    this.#code = code;
    this.#declaredLength = declaredLength;
  }

  /** Checks one body chunk against the response so far, before it reaches the server. */
  noteChunk(chunk: Uint8Array): void {
    if (this.websocketAccepted) {
      check(chunk.length === 0, "websocket-body-not-empty", `the app accepted the WebSocket and then produced ${chunk.length} body bytes; send them with websocket.send()`);
      return;
    }
    check(
      this.#code !== undefined,
      "start-response-not-called",
      "the body produced a chunk before the app called startResponse(); call it before returning or before the first yield",
    );
    if (chunk.length === 0) return;
    check(!statusForbidsBody(this.#code), "body-not-allowed", `a ${this.#code} response cannot have a body, but the app sent ${chunk.length} bytes`);
    const total = this.#bytes + chunk.length;
    const declared = this.#declaredLength;
    check(
      declared === undefined || total <= declared,
      "content-length-exceeded",
      `the app sent ${total} body bytes but declared Content-Length: ${declared}`,
    );
    // Only a chunk that passed reaches the server, which sends the headers with it.
    this.#bytes = total;
    this.#headersSent = true;
  }

  /** Checks the response once the body is exhausted. */
  noteBodyDone(): void {
    if (this.websocketAccepted) return;
    check(this.#code !== undefined, "start-response-not-called", "the app returned its body without ever calling startResponse()");
    const declared = this.#declaredLength;
    // HEAD apps may skip the body; a 304's Content-Length describes the representation, not this (empty) body.
    if (declared === undefined || this.isHead || statusForbidsBody(this.#code)) return;
    check(
      this.#bytes >= declared,
      "content-length-short",
      `the app sent ${this.#bytes} body bytes but declared Content-Length: ${declared}; the client would wait for the rest`,
    );
  }
}
