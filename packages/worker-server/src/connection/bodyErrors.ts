import type { Rejection } from "./rejection.js";

/** What an app reading a refused body gets from `tsgi.input` (the client was already answered). */
export class RequestBodyRefusedError extends Error {
  constructor(readonly rejection: Rejection) {
    super(`request body refused: ${rejection.code} ${rejection.reason}: ${rejection.message}`);
    this.name = "RequestBodyRefusedError";
  }
}

/** Thrown from `tsgi.input` when the connection closed before the whole request body arrived. */
export class IncompleteBodyError extends Error {
  constructor(expected?: number, received?: number) {
    super(
      expected === undefined
        ? "the connection closed before the whole request body arrived"
        : `the connection closed after ${received ?? 0} of ${expected} body bytes`,
    );
    this.name = "IncompleteBodyError";
  }
}
