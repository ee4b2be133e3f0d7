import { callApplication, isApplication } from "../application.js";
import type { Application, ApplicationFunction, Environ, ResponseBody, StartResponse } from "../types.js";
import { checkEnviron } from "./checkEnviron.js";
import { CloseTracker, type UnclosedBodyReporter } from "./closeTracker.js";
import { ResponseState } from "./responseState.js";
import { check, describe } from "./validationError.js";
import { checkBody, wrapBody } from "./wrapBody.js";
import { ValidatedErrors } from "./wrapErrors.js";
import { ValidatedInput } from "./wrapInput.js";
import { wrapStartResponse } from "./wrapStartResponse.js";
import { ValidatedWebSocket } from "./wrapWebSocket.js";
import { wrapLifespan } from "./wrapLifespan.js";
import type { Lifespan } from "../lifespan/types.js";

/** Options for {@link validator}. */
export interface ValidatorOptions {
  /**
   * Receives the one violation that cannot be thrown: a body garbage collected
   * before the server called its `close()`. Default: a line on that request's `tsgi.errors`.
   */
  onUnclosedBody?: UnclosedBodyReporter;
  /** How long the app's lifespan start-up may take before rule `lifespan-startup-timeout` (ms, default 30 000). */
  lifespanTimeout?: number;
}

/** An app wrapped by {@link validator}: an app, plus a check that every body it returned was closed. */
export interface ValidatedApplication extends ApplicationFunction {
  /**
   * Throws `TsgiValidationError` with rule `close-not-called` when a body this
   * app returned has not been closed. Call it once the server has finished its responses.
   */
  assertAllClosed(): void;
  /** How many bodies were returned and not closed yet. */
  readonly openBodies: number;
  /** The wrapped app's lifespan, checked (SPEC.md, "Lifespan"): forwarded so servers run it. */
  readonly lifespan?: Lifespan;
}

/**
 * A middleware that checks both sides of TSGI at runtime, as Python's
 * `wsgiref.validate.validator` does: the environ the server built (before the
 * app runs), then everything the app does (startResponse, write, tsgi.input,
 * tsgi.errors, its body) and everything the server does back (what
 * startResponse returns, input results, iterating and closing the body).
 * A broken rule throws a `TsgiValidationError` naming it, into the app for
 * app-side calls and into the server for server-side ones, so a server answers
 * 500 and logs the rule. It does not change the request or the response.
 *
 * @example
 * import { validator } from "tsgi";
 * import { createServer } from "tsgi/node";
 *
 * const app = validator((environ, startResponse) => {
 *   startResponse("200 OK", [["Content-Type", "text/plain"]]);
 *   return [new TextEncoder().encode("Hello, world!\n")];
 * });
 * createServer(app).listen(8000);
 */
export function validator(app: Application, options: ValidatorOptions = {}): ValidatedApplication {
  check(isApplication(app), "app-type", `validator() takes a TSGI app (a function or an object with call()), got ${describe(app)}`);
  const tracker = new CloseTracker(options.onUnclosedBody);
  const lifespan = wrapLifespan(app, options.lifespanTimeout ?? 30_000);

  function validatedApplication(...args: unknown[]): ResponseBody | Promise<ResponseBody> {
    check(args.length === 2, "app-call-arguments", `an app is called with (environ, startResponse), got ${args.length} arguments`);
    const [environ, startResponse] = args;
    checkEnviron(environ);
    const startedState = lifespan.startedState();
    check(
      startedState === undefined || environ["tsgi.state"] === startedState,
      "environ-state-type",
      "tsgi.state must be the object this process's lifespan start-up was given (SPEC.md, \"Lifespan\")",
    );
    check(typeof startResponse === "function", "app-call-arguments", `startResponse must be a function, got ${describe(startResponse)}`);

    const serverErrors = environ["tsgi.errors"];
    const state = new ResponseState(environ.REQUEST_METHOD === "HEAD");
    environ["tsgi.input"] = new ValidatedInput(environ["tsgi.input"]);
    environ["tsgi.errors"] = new ValidatedErrors(serverErrors);
    const websocket = environ["tsgi.websocket"];
    if (websocket !== undefined) environ["tsgi.websocket"] = new ValidatedWebSocket(websocket, state);
    const request = `${environ.REQUEST_METHOD} ${environ.SCRIPT_NAME}${environ.PATH_INFO}`;

    const finish = (body: unknown): ResponseBody => {
      checkBody(body);
      const pending = { request, errors: serverErrors };
      // Track the wrapper, not the app's body: the wrapper is what the server holds and drops.
      return tracker.track(wrapBody(body, state, tracker, pending), pending);
    };
    const result = callApplication(app, environ as Environ, wrapStartResponse(startResponse as StartResponse, state));
    // Keep a synchronous app synchronous, so the validator changes nothing a server could observe.
    return isPromiseLike(result) ? Promise.resolve(result).then(finish) : finish(result);
  }

  return Object.defineProperties(validatedApplication, {
    assertAllClosed: { value: () => tracker.assertAllClosed() },
    openBodies: { get: () => tracker.openCount },
    ...(lifespan.lifespan !== undefined ? { lifespan: { value: lifespan.lifespan } } : {}),
  }) as ValidatedApplication;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
