import { connect, type Socket } from "node:net";
import { SocketByteReader } from "./byteReader.js";
import { requestBytes, type RawRequest } from "./requestBytes.js";
import { ResponseBodyReader, type BodyFraming } from "./responseBody.js";
import { readResponseHead, type ResponseHead } from "./responseHead.js";

/** Options for {@link RawConnection.open}. */
export interface RawConnectionOptions {
  /** Deadline for each single wait on the server (default 30 s): turns a hang into a readable failure. */
  timeoutMs?: number;
}

/** A response read in full from a raw connection. */
export interface RawResponse extends ResponseHead {
  body: Buffer;
  framing: BodyFraming;
  /** False when the server closed the connection before the framing said the body was over. */
  complete: boolean;
  trailers: Array<[name: string, value: string]>;
  /** Interim (1xx) responses that came before this one, such as `100 Continue`. */
  informational: ResponseHead[];
}

/** Options for {@link RawConnection.readResponse}. */
export interface ReadResponseOptions {
  /** The method of the request being answered (HEAD responses have no body). Default GET. */
  method?: string;
  /** Receives body bytes instead of buffering them (for very large bodies). */
  onBody?: (part: Buffer) => void;
}

/**
 * A raw HTTP/1.x client connection over `node:net`, for checks where the exact
 * bytes matter: keep-alive, pipelining, chunked framing, `100 Continue`,
 * connection close after a failure.
 *
 * @example
 * const connection = await RawConnection.open("http://127.0.0.1:8000");
 * await connection.send({ target: "/", headers: [["Connection", "close"]] });
 * const response = await connection.readResponse();
 * connection.close();
 */
export class RawConnection {
  readonly #socket: Socket;
  readonly #reader: SocketByteReader;
  #offered = 0;

  private constructor(socket: Socket, reader: SocketByteReader) {
    this.#socket = socket;
    this.#reader = reader;
  }

  /** Opens a TCP connection to the host and port of an `http:` URL. */
  static open(url: string | URL, options: RawConnectionOptions = {}): Promise<RawConnection> {
    const target = new URL(url);
    const port = Number(target.port || 80);
    const host = target.hostname.replace(/^\[|\]$/g, "");
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.setNoDelay(true);
      const reader = new SocketByteReader(socket, { timeoutMs: options.timeoutMs ?? 30_000 });
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new RawConnection(socket, reader));
      });
      socket.once("error", reject);
    });
  }

  /** Sends a request (serialised with {@link requestBytes}) or raw bytes; resolves once handed to the kernel. */
  send(request: RawRequest | Uint8Array | string): Promise<void> {
    const bytes =
      typeof request === "string"
        ? Buffer.from(request, "latin1")
        : request instanceof Uint8Array
          ? request
          : requestBytes(request);
    return new Promise((resolve, reject) => {
      this.#socket.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }

  /**
   * Writes bytes without waiting; returns false when the socket's buffer is
   * full (then wait for {@link waitForDrain} before writing more, to feel the server's backpressure).
   */
  trySend(bytes: Uint8Array): boolean {
    this.#offered += bytes.length;
    return this.#socket.write(bytes);
  }

  /** Resolves when the socket's write buffer has drained (after {@link trySend} returned false). */
  waitForDrain(): Promise<void> {
    if (this.#socket.writableLength === 0 || this.#socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.#socket.off("drain", done);
        this.#socket.off("close", done);
        resolve();
      };
      this.#socket.on("drain", done);
      this.#socket.on("close", done);
    });
  }

  /** Bytes given to {@link trySend} that the kernel has taken (the rest still waits in Node's buffer). */
  get bytesAccepted(): number {
    return this.#offered - this.#socket.writableLength;
  }

  /** Reads the next response head, interim (1xx) ones included. */
  readHead(): Promise<ResponseHead> {
    return readResponseHead(this.#reader);
  }

  /** A streaming reader for the body that follows `head`. */
  bodyOf(head: ResponseHead, method = "GET"): ResponseBodyReader {
    return new ResponseBodyReader(this.#reader, head, method);
  }

  /** Reads the next final response in full, collecting interim 1xx responses on the way. */
  async readResponse(options: ReadResponseOptions = {}): Promise<RawResponse> {
    const method = options.method ?? "GET";
    const informational: ResponseHead[] = [];
    let head = await this.readHead();
    // 101 switches protocols: it is final for this client.
    while (head.statusCode >= 100 && head.statusCode < 200 && head.statusCode !== 101) {
      informational.push(head);
      head = await this.readHead();
    }
    const body = this.bodyOf(head, method);
    const parts: Buffer[] = [];
    for (let part = await body.next(); part; part = await body.next()) {
      if (options.onBody) options.onBody(part);
      else parts.push(part);
    }
    return {
      ...head,
      body: Buffer.concat(parts),
      framing: body.framing,
      complete: body.complete,
      trailers: body.trailers,
      informational,
    };
  }

  /** Waits until the server closes the connection (the response after a failure must end this way). */
  waitForServerClose(): Promise<void> {
    return this.#reader.waitForEnd("the server to close the connection");
  }

  /** True once the server closed its side and every byte it sent has been read. */
  get exhausted(): boolean {
    return this.#reader.exhausted;
  }

  /** Reads whatever bytes arrive until the server closes (used to prove nothing stray follows a response). */
  async readUntilClose(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (;;) {
      const part = await this.#reader.readSome("the server to send more bytes or close");
      if (part.length === 0) return Buffer.concat(parts);
      parts.push(part);
    }
  }

  /** Stops reading from the socket: the kernel buffers fill and TCP flow control pushes back on the server. */
  pause(): void {
    this.#socket.pause();
  }

  /** Resumes reading after {@link pause}. */
  resume(): void {
    this.#socket.resume();
  }

  /** Half-closes: tells the server the client will send nothing more. */
  endWriting(): void {
    this.#socket.end();
  }

  /** Destroys the connection at once (a client disconnect as the server sees it). */
  close(): void {
    this.#socket.destroy();
  }

  /** The client-side port, as the server sees it in `REMOTE_PORT`. */
  get localPort(): number | undefined {
    return this.#socket.localPort;
  }
}
