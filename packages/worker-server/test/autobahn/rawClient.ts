/**
 * A WebSocket client on a raw TCP socket, for the Autobahn-style cases: it performs the opening
 * handshake (checking `Sec-WebSocket-Accept`), writes whatever bytes a case hands it (optionally
 * chopped into small TCP writes), and records everything the server does: messages reassembled
 * from fragments, pongs, the close frame, when the server closed TCP, and every RFC 6455 rule
 * the server broke on the way (a masked frame, reserved bits, a bad opcode, a frame after its close).
 */
import { isUtf8 } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { constants, createInflateRaw, deflateRawSync, type InflateRaw } from "node:zlib";
import { closePayload, encodeFrame, FrameDecoder, OP, type Frame, type FrameSpec } from "./frames.js";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const DEFLATE_TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/** A data message as the server sent it, reassembled. */
export interface ReceivedMessage {
  binary: boolean;
  data: Buffer;
}

/** The negotiated permessage-deflate parameters (RFC 7692 §7), when the server accepted the offer. */
export interface DeflateParams {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits: number;
  clientMaxWindowBits: number;
}

export interface RawClientOptions {
  path?: string;
  /** A `Sec-WebSocket-Extensions` offer, e.g. `permessage-deflate; client_max_window_bits`. */
  extensions?: string;
  /** How long {@link RawClient.waitFor} waits by default. */
  waitMs?: number;
}

/** Waits at most this long for any one thing the server should do (a busy 2-core machine, 16 MiB echoes). */
const WAIT_MS = 30_000;

export class RawClient {
  readonly messages: ReceivedMessage[] = [];
  readonly pongs: Buffer[] = [];
  /** Rules of RFC 6455 (and 7692) the server broke, in words. */
  readonly violations: string[] = [];
  /** The server's close frame: code (1005 for an empty one) and reason. */
  closeFrame: { code: number; reason: Buffer } | undefined;
  /** True once the server ended or reset the TCP connection. */
  tcpClosed = false;
  closeSent = false;
  readonly #decoder = new FrameDecoder();
  #fragments: Buffer[] = [];
  #fragmentOpcode: number | undefined;
  #fragmentCompressed = false;
  #inflater: InflateRaw | undefined;
  #inflating: Promise<void> = Promise.resolve();
  #wakers: Array<() => void> = [];

  private constructor(
    readonly socket: Socket,
    /** The 101 response's headers, lower-cased names. */
    readonly headers: Record<string, string>,
    readonly deflate: DeflateParams | undefined,
    readonly waitMs: number,
  ) {
    socket.on("data", (chunk: Buffer) => this.#receive(chunk));
    const ended = () => {
      this.tcpClosed = true;
      this.#wake();
    };
    socket.on("end", ended);
    socket.on("close", ended);
    socket.on("error", () => undefined); // a reset is a closed connection; the case judges whether it was due
  }

  /** Connects, sends the opening handshake and resolves once the server answered 101. */
  static async open(port: number, options: RawClientOptions = {}): Promise<RawClient> {
    const socket = connect({ host: "127.0.0.1", port, noDelay: true });
    const key = randomBytes(16).toString("base64");
    const extra = options.extensions !== undefined ? `Sec-WebSocket-Extensions: ${options.extensions}\r\n` : "";
    socket.write(
      `GET ${options.path ?? "/"} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
    );
    const { head, rest } = await readHead(socket);
    const [statusLine, ...lines] = head.split("\r\n");
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (!/^HTTP\/1\.1 101 /.test(statusLine ?? "")) {
      socket.destroy();
      throw new Error(`the handshake got ${JSON.stringify(statusLine)}, not 101`);
    }
    const expected = createHash("sha1").update(key + GUID).digest("base64");
    if (headers["sec-websocket-accept"] !== expected) {
      socket.destroy();
      throw new Error(`Sec-WebSocket-Accept ${headers["sec-websocket-accept"]} is not ${expected}`);
    }
    const client = new RawClient(socket, headers, parseDeflate(headers["sec-websocket-extensions"], options.extensions), options.waitMs ?? WAIT_MS);
    if (client.deflate === undefined && headers["sec-websocket-extensions"] !== undefined) {
      client.violations.push(`the server answered extensions it was not offered: ${headers["sec-websocket-extensions"]}`);
    }
    if (rest.length > 0) client.#receive(rest);
    return client;
  }

  /** Writes `bytes`, in pieces of `chop` bytes each awaited on its own when given; resolves once handed to the kernel. */
  async write(bytes: Buffer, chop?: number): Promise<void> {
    const size = Math.max(chop ?? bytes.length, 1);
    for (let offset = 0; offset < bytes.length; offset += size) {
      if (this.socket.destroyed || this.tcpClosed) return; // the server failed the connection mid-case: nothing more to say
      await new Promise<void>((resolve) => this.socket.write(bytes.subarray(offset, offset + size), () => resolve()));
    }
  }

  /** Sends frames in one write (or chopped). */
  sendFrames(frames: FrameSpec[], chop?: number): Promise<void> {
    for (const frame of frames) if (frame.opcode === OP.close) this.closeSent = true;
    return this.write(Buffer.concat(frames.map(encodeFrame)), chop);
  }

  /**
   * A data message compressed as RFC 7692 §7.2.1 says (sync flush, the 4-byte tail removed), each
   * message on its own (no client context takeover needed), RSV1 on the first frame; split into
   * `fragments` frames when given.
   */
  compressedFrames(opcode: number, payload: Buffer, fragments = 1): FrameSpec[] {
    const windowBits = Math.max(this.deflate?.clientMaxWindowBits ?? 15, 9);
    const compressed = deflateRawSync(payload, { windowBits, finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, -4);
    const size = Math.ceil(compressed.length / fragments);
    const frames: FrameSpec[] = [];
    for (let index = 0; index < fragments; index++) {
      frames.push({
        opcode: index === 0 ? opcode : OP.continuation,
        fin: index === fragments - 1,
        rsv: index === 0 ? 4 : 0,
        payload: Buffer.from(compressed.subarray(index * size, (index + 1) * size)),
      });
    }
    return frames;
  }

  /** Sends a close frame (once), for the end of a case or to answer the server's. */
  async sendClose(code = 1000): Promise<void> {
    if (this.closeSent || this.tcpClosed) return;
    await this.sendFrames([{ opcode: OP.close, payload: closePayload(code) }]);
  }

  /** Resolves once `condition()` holds, or rejects after `ms` naming `what`. */
  async waitFor(condition: () => boolean, what: string, ms = this.waitMs): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.#wakers.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await this.#inflating;
  }

  destroy(): void {
    this.socket.destroy();
  }

  #wake(): void {
    for (const wake of this.#wakers.splice(0)) wake();
  }

  #receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      this.violations.push(`unreadable frame: ${String(error)}`);
      return;
    }
    for (const frame of frames) this.#frame(frame);
    this.#wake();
  }

  #frame(frame: Frame): void {
    if (this.closeFrame !== undefined) return void this.violations.push(`a frame (opcode ${frame.opcode}) after the server's close frame`);
    if (frame.masked) this.violations.push("a masked frame from the server (RFC 6455 §5.1)");
    const compressedFirst = frame.rsv === 4 && this.deflate !== undefined && (frame.opcode === OP.text || frame.opcode === OP.binary);
    if (frame.rsv !== 0 && !compressedFirst) this.violations.push(`reserved bits ${frame.rsv} set on opcode ${frame.opcode}`);
    if (frame.opcode >= 8) {
      if (!frame.fin || frame.payload.length > 125) this.violations.push(`a fragmented or oversize control frame (opcode ${frame.opcode})`);
      if (frame.opcode === OP.ping) void this.sendFrames([{ opcode: OP.pong, payload: frame.payload }]).catch(() => undefined);
      else if (frame.opcode === OP.pong) this.pongs.push(frame.payload);
      else if (frame.opcode === OP.close) this.#closeFrame(frame.payload);
      else this.violations.push(`reserved control opcode ${frame.opcode}`);
      return;
    }
    if (frame.opcode === OP.continuation) {
      if (this.#fragmentOpcode === undefined) return void this.violations.push("a continuation frame with no message started");
    } else if (frame.opcode === OP.text || frame.opcode === OP.binary) {
      if (this.#fragmentOpcode !== undefined) return void this.violations.push("a new message before the last one's final fragment");
      this.#fragmentOpcode = frame.opcode;
      this.#fragmentCompressed = compressedFirst;
    } else {
      return void this.violations.push(`reserved data opcode ${frame.opcode}`);
    }
    this.#fragments.push(frame.payload);
    if (!frame.fin) return;
    const binary = this.#fragmentOpcode === OP.binary;
    const data = Buffer.concat(this.#fragments);
    const compressed = this.#fragmentCompressed;
    this.#fragments = [];
    this.#fragmentOpcode = undefined;
    const slot: ReceivedMessage = { binary, data };
    this.messages.push(slot);
    if (compressed) {
      this.#inflating = this.#inflating.then(async () => {
        slot.data = await this.#inflate(data);
        this.#checkText(slot);
        this.#wake();
      });
    } else {
      this.#checkText(slot);
    }
  }

  #checkText(message: ReceivedMessage): void {
    if (!message.binary && !isUtf8(message.data)) this.violations.push("a text message that is not UTF-8");
  }

  #closeFrame(payload: Buffer): void {
    if (payload.length === 1) this.violations.push("a close frame with a 1-byte payload");
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    this.closeFrame = { code, reason: payload.subarray(2) };
    // A client answers the server's close frame with its own (RFC 6455 §5.5.1), then waits for the server to close TCP.
    void this.sendClose(1000).catch(() => undefined);
  }

  /** Decompresses one message; the server's window persists across messages unless it agreed to server_no_context_takeover. */
  #inflate(data: Buffer): Promise<Buffer> {
    const params = this.deflate as DeflateParams;
    if (this.#inflater === undefined || params.serverNoContextTakeover) {
      this.#inflater?.close();
      this.#inflater = createInflateRaw({ windowBits: Math.max(params.serverMaxWindowBits, 9) });
    }
    const inflater = this.#inflater;
    return new Promise((resolve, reject) => {
      const out: Buffer[] = [];
      const onData = (chunk: Buffer) => out.push(chunk);
      inflater.on("data", onData);
      inflater.once("error", reject);
      inflater.write(Buffer.concat([data, DEFLATE_TAIL]));
      inflater.flush(constants.Z_SYNC_FLUSH, () => {
        inflater.off("data", onData);
        inflater.off("error", reject);
        resolve(Buffer.concat(out));
      });
    });
  }
}

/** Reads the HTTP response head; returns it and the bytes after it (frames the server sent at once). */
function readHead(socket: Socket): Promise<{ head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error("no handshake response")), WAIT_MS);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) return;
      cleanup();
      resolve({ head: buffered.subarray(0, end).toString("latin1"), rest: buffered.subarray(end + 4) });
    };
    const fail = (error: Error) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onEnd = () => fail(new Error(`the server closed before answering the handshake: ${JSON.stringify(buffered.toString("latin1"))}`));
    function cleanup() {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("error", fail);
    }
    socket.on("data", onData);
    socket.on("end", onEnd);
    socket.on("error", fail);
  });
}

/** The server's permessage-deflate answer, checked against RFC 7692: only what was offered or allowed. */
function parseDeflate(answer: string | undefined, offer: string | undefined): DeflateParams | undefined {
  if (answer === undefined || offer === undefined) return undefined;
  const [name, ...params] = answer.split(";").map((part) => part.trim());
  if (name !== "permessage-deflate") return undefined;
  const result: DeflateParams = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 };
  for (const param of params) {
    const [key, value] = param.split("=").map((part) => part.trim());
    if (key === "server_no_context_takeover") result.serverNoContextTakeover = true;
    else if (key === "client_no_context_takeover") result.clientNoContextTakeover = true;
    else if (key === "server_max_window_bits") result.serverMaxWindowBits = Number(value);
    else if (key === "client_max_window_bits") {
      if (!offer.includes("client_max_window_bits")) throw new Error("the server set client_max_window_bits the client did not offer (RFC 7692 §7.1.2.2)");
      result.clientMaxWindowBits = Number(value);
    }
  }
  return result;
}
