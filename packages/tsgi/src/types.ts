/**
 * The TSGI interface, as SPEC.md defines it. Nothing here runs: these are the
 * shapes every server and every application agree on.
 */

/** `tsgi.version`: the version of this specification the server implements. */
export type TsgiVersion = readonly [1, 0];

/**
 * `tsgi.input`: the request body as an asynchronous byte stream.
 *
 * The server fakes end-of-file at `CONTENT_LENGTH`, decodes a chunked request
 * body itself, and sends `100 Continue` only when the app first reads.
 * The app must never close it.
 */
export interface InputStream extends AsyncIterable<Uint8Array> {
  /** Reads up to `size` bytes (all remaining bytes when omitted or negative); an empty array means end of body. */
  read(size?: number): Promise<Uint8Array>;
  /** Reads one line including its `\n`, or at most `limit` bytes; an empty array means end of body. */
  readline(limit?: number): Promise<Uint8Array>;
  /** Reads lines until end of body, or until about `hint` bytes have been read. */
  readlines(hint?: number): Promise<Uint8Array[]>;
}

/** `tsgi.errors`: a text stream for error output, usually the server's error log. */
export interface ErrorStream {
  write(text: string): void;
  writelines(lines: Iterable<string>): void;
  flush(): void;
}

/** A file the app wants sent: an open `FileHandle` (servers may send it with zero copy) or anything with `read()`. */
export interface FileLike {
  read(size?: number): Promise<Uint8Array> | Uint8Array;
  close?(): void | Promise<void>;
}

/** A file source accepted by `tsgi.file_wrapper`. */
export type FileSource = FileLike | import("node:fs/promises").FileHandle;

/** `tsgi.file_wrapper`: turns a file into a response body the server may send efficiently. */
export type FileWrapper = (file: FileSource, blockSize?: number) => ResponseBody;

/** Response headers: `[name, value]` pairs of latin-1 strings, in the order they go out. */
export type ResponseHeaders = Array<[name: string, value: string]>;

/**
 * The legacy `write()` returned by `startResponse`, for apps that push output
 * imperatively. The returned promise settles when the chunk is handed to the
 * client connection (apps that care about backpressure await it).
 */
export type WriteFn = (chunk: Uint8Array) => Promise<void>;

/**
 * `startResponse(status, headers, excInfo?)`.
 *
 * `status` is `"200 OK"`-shaped. A second call is legal only with `excInfo`
 * (the error being reported); once headers have been sent, it rethrows `excInfo`.
 */
export type StartResponse = (status: string, headers: ResponseHeaders, excInfo?: unknown) => WriteFn;

/** An object the server calls `close()` on after the response, on every path. */
export interface Closable {
  close?(): void | Promise<void>;
}

/** The response body: a sync or async iterable of byte chunks, optionally closable. */
export type ResponseBody = (Iterable<Uint8Array> | AsyncIterable<Uint8Array>) & Closable;

/**
 * The environ: CGI variables plus `tsgi.*` keys. Header values are `HTTP_*`
 * keys; server-specific keys use the server's own prefix (`tsgi_dev.*`, ...).
 */
export interface Environ {
  REQUEST_METHOD: string;
  SCRIPT_NAME: string;
  PATH_INFO: string;
  QUERY_STRING: string;
  CONTENT_TYPE?: string;
  CONTENT_LENGTH?: string;
  SERVER_NAME: string;
  SERVER_PORT: string;
  SERVER_PROTOCOL: string;
  REMOTE_ADDR?: string;
  REMOTE_PORT?: string;
  "tsgi.version": TsgiVersion;
  "tsgi.url_scheme": string;
  "tsgi.input": InputStream;
  "tsgi.errors": ErrorStream;
  "tsgi.multithread": boolean;
  "tsgi.multiprocess": boolean;
  "tsgi.run_once": boolean;
  "tsgi.file_wrapper"?: FileWrapper;
  /** Only on a WebSocket upgrade request a server can serve (SPEC.md, "WebSocket"). */
  "tsgi.websocket"?: import("./websocket/types.js").TsgiWebSocket;
  /** The process's lifespan state (SPEC.md, "Lifespan"). */
  "tsgi.state"?: import("./lifespan/types.js").LifespanState;
  [key: `HTTP_${string}`]: string | undefined;
  [key: string]: unknown;
}

/** An application as a plain function. */
export type ApplicationFunction = (
  environ: Environ,
  startResponse: StartResponse,
) => ResponseBody | Promise<ResponseBody>;

/** An application as an object with a `call` method (for apps that keep state). */
export interface ApplicationObject {
  call(environ: Environ, startResponse: StartResponse): ResponseBody | Promise<ResponseBody>;
}

/** A TSGI application: called once per request, any number of times. */
export type Application = ApplicationFunction | ApplicationObject;

/** A middleware: takes an app (and options) and returns an app; it is a server to the inner app. */
export type Middleware<Options = void> = (app: Application, options: Options) => Application;
