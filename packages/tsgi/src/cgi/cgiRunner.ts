import { spawn, type ChildProcessByStdio } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Readable, Writable } from "node:stream";
import { HOP_BY_HOP_HEADERS } from "../http/rules.js";
import { CgiRequestError, CgiResponseError } from "./errors.js";
import { CgiResponseHeadParser, type CgiResponseHead } from "./cgiResponseHead.js";
import { cgiMetaVariables } from "./metaVariables.js";
import { readBoundedBody } from "./requestBody.js";
import { errorMessage } from "../helpers/describeError.js";

/** Options for {@link createCgiHandler} and {@link serveCgi}. */
export interface CgiRunnerOptions {
  /** URL path the script is mounted at, given to it as `SCRIPT_NAME` (default "": the whole site). */
  scriptName?: string;
  /** Working directory of the script. */
  cwd?: string;
  /** Extra environment variables for the script (set after the inherited ones, before the request's). */
  env?: Record<string, string>;
  /** Names copied from the runner's own environment (default PATH, HOME, LANG, TZ, TMPDIR). */
  inheritEnv?: readonly string[];
  /** `SERVER_SOFTWARE` (default "tsgi-cgi"). */
  serverSoftware?: string;
  /** A chunked request body is buffered to learn its CONTENT_LENGTH (RFC 3875 §4.1.2); above this size: 413. Default 64 MiB. */
  maxBufferedBodyBytes?: number;
  /** Receives the script's stderr (default: the runner's stderr). */
  onStderr?(text: string): void;
  /** How long a script may take to end after SIGTERM (its client went away) before SIGKILL. Default 5000 ms. */
  killGraceMs?: number;
  /** Called when a script exits, for access logs and monitoring. */
  onScriptExit?(exit: CgiScriptExit): void;
}

/** How one script run ended. */
export interface CgiScriptExit {
  request: IncomingMessage;
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A script as a program and its arguments, or the path of an executable. */
export type CgiCommand = string | readonly [string, ...string[]];

const DEFAULT_INHERITED = ["PATH", "HOME", "LANG", "TZ", "TMPDIR"];

/**
 * A `node:http` request listener that runs a CGI script (RFC 3875) per request
 * as a child process and relays its response, like Apache's mod_cgi: request
 * meta-variables in the environment, the body on stdin, the response read from
 * stdout (paced by the client: the script's stdout is paused while the client
 * is slow), stderr logged. A script that fails before its headers gives 502; one
 * that exits non-zero after them gets the connection closed; a client that goes
 * away gets the script killed.
 *
 * @example
 * const handler = createCgiHandler([process.execPath, "--import", "tsx", "app.cgi.ts"], { scriptName: "/app" });
 * http.createServer(handler).listen(8080);
 */
export function createCgiHandler(command: CgiCommand, options: CgiRunnerOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const [program, ...args] = typeof command === "string" ? [command] : command;
  const baseEnv: Record<string, string> = {};
  for (const name of options.inheritEnv ?? DEFAULT_INHERITED) {
    const value = process.env[name];
    if (value !== undefined) baseEnv[name] = value;
  }
  Object.assign(baseEnv, options.env);
  const logStderr = options.onStderr ?? ((text: string) => void process.stderr.write(text));

  return (req, res) => {
    void runScript(req, res).catch((error: unknown) => {
      if (error instanceof CgiRequestError) return answer(res, error.status, error.message);
      logStderr(`tsgi cgi: ${errorMessage(error)}\n`);
      answer(res, "502 Bad Gateway", "The CGI script did not produce a valid response.");
    });
  };

  async function runScript(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const variables = cgiMetaVariables(req, { scriptName: options.scriptName ?? "", serverSoftware: options.serverSoftware ?? "tsgi-cgi" });
    const body = await readBoundedBody(req, variables, options.maxBufferedBodyBytes ?? 64 * 1024 * 1024);
    const child = spawn(program as string, args, { cwd: options.cwd, env: { ...baseEnv, ...variables }, stdio: ["pipe", "pipe", "pipe"] });
    child.stderr.setEncoding("utf8").on("data", logStderr);
    // A script may exit without reading its body: that is not an error.
    child.stdin.on("error", () => {});
    if (body === undefined) child.stdin.end();
    else if (body instanceof Uint8Array) child.stdin.end(body);
    else body.pipe(child.stdin);
    res.once("close", () => {
      if (res.writableFinished || child.exitCode !== null) return;
      // Drain what the script still writes, so it is not stuck on a full pipe while it handles SIGTERM.
      child.stdout.resume();
      // SIGTERM first, so the script can run its body's close(); SIGKILL if it does not end.
      child.kill("SIGTERM");
      const forceKill = setTimeout(() => child.kill("SIGKILL"), options.killGraceMs ?? 5000);
      forceKill.unref();
      child.once("close", () => clearTimeout(forceKill));
    });
    child.once("close", (code, signal) => options.onScriptExit?.({ request: req, pid: child.pid, code, signal }));
    await relay(child, res);
  }
}

/** Reads the script's header block, then streams its body to the client with backpressure. */
function relay(child: ChildProcessByStdio<Writable, Readable, Readable>, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const parser = new CgiResponseHeadParser();
    let head: CgiResponseHead | undefined;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      child.kill("SIGTERM");
      reject(error);
    };
    child.once("error", (error) => fail(new CgiResponseError(`could not start the CGI script: ${error.message}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      if (failed || res.destroyed) return;
      if (head === undefined) {
        try {
          head = parser.push(chunk);
        } catch (error) {
          return fail(error as Error);
        }
        if (head === undefined) return;
        sendHead(res, head);
        chunk = Buffer.from(head.rest);
        if (chunk.length === 0) return;
      }
      if (!res.write(chunk)) {
        child.stdout.pause();
        res.once("drain", () => child.stdout.resume());
      }
    });
    child.once("close", (code, signal) => {
      if (failed) return;
      if (head === undefined) return fail(new CgiResponseError(`the CGI script exited (${signal ?? `code ${code}`}) before sending its headers`));
      // A script that failed after its headers sent an incomplete response: let the client see the cut.
      if (code === 0) res.end();
      else res.destroy();
      resolve();
    });
  });
}

function sendHead(res: ServerResponse, head: CgiResponseHead): void {
  const flat: string[] = [];
  for (const [name, value] of head.headers) {
    if (!HOP_BY_HOP_HEADERS.has(name.toLowerCase())) flat.push(name, value);
  }
  res.writeHead(head.code, head.reason, flat);
}

function answer(res: ServerResponse, status: string, message: string): void {
  if (res.destroyed) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(message + "\n", "utf8");
  const code = Number(status.slice(0, 3));
  res.writeHead(code, status.slice(4), { "Content-Type": "text/plain; charset=utf-8", "Content-Length": body.length });
  res.end(body);
}

/**
 * A `node:http` server that serves a CGI script: the "small CGI runner" for
 * apps run through `runWithCgi`. Call `listen()` on it.
 *
 * @example
 * const server = serveCgi([process.execPath, "--import", "tsx", "app.cgi.ts"]);
 * server.listen(8080, "127.0.0.1");
 */
export function serveCgi(command: CgiCommand, options: CgiRunnerOptions = {}): Server {
  return createServer(createCgiHandler(command, options));
}
