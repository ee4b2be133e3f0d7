import { once } from "node:events";
import type { Socket } from "node:net";
import type { ResponseSink } from "../server/sink.js";
import type { ResponseHeaders } from "../types.js";

/**
 * The sink of a WebSocket request the app answered over HTTP (a rejection such as 403): an
 * HTTP/1.1 response written on the raw socket, with `Connection: close` since the client asked
 * to leave HTTP. Once the app accepted, every call is ignored: the 101 went out through `ws`.
 */
export class UpgradeSocketSink implements ResponseSink {
  accepted = false;
  constructor(readonly socket: Socket) {}

  sendHeaders(status: string, headers: ResponseHeaders): void {
    if (this.accepted) return;
    let head = `HTTP/1.1 ${status}\r\n`;
    for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
    this.socket.write(head + "Connection: close\r\n\r\n", "latin1");
  }

  write(chunk: Uint8Array): void | Promise<void> {
    if (this.accepted || this.socket.destroyed) return;
    if (!this.socket.write(chunk)) return once(this.socket, "drain").then(() => undefined);
  }

  end(): void {
    if (!this.accepted) this.socket.end();
  }

  abort(): void {
    if (!this.accepted) this.socket.destroy();
  }

  get aborted(): boolean {
    return !this.accepted && this.socket.destroyed;
  }
}
