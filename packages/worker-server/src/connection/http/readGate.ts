import type net from "node:net";

/**
 * Why a connection's socket is paused: the app is not reading its request body fast enough
 * (`body`), or pipelined requests past the backlog limit wait while one is served (`backlog`).
 * The socket reads again only when no reason is left; a closing connection always reads (and
 * drops) what comes, so the client's last bytes never turn our answer into a reset.
 *
 * @example
 * const gate = new ReadGate(socket);
 * gate.set("body", true); // socket paused
 * gate.set("body", false); // resumed
 */
export class ReadGate {
  readonly #socket: net.Socket;
  #body = false;
  #backlog = false;
  #closing = false;

  constructor(socket: net.Socket) {
    this.#socket = socket;
  }

  get backlogPaused(): boolean {
    return this.#backlog;
  }

  set(reason: "body" | "backlog", paused: boolean): void {
    if (reason === "body") this.#body = paused;
    else this.#backlog = paused;
    this.#apply();
  }

  /** The connection is closing: read whatever comes, whatever the reasons were. */
  closing(): void {
    this.#closing = true;
    this.#body = this.#backlog = false;
    this.#apply();
  }

  #apply(): void {
    const socket = this.#socket;
    const paused = (this.#body || this.#backlog) && !this.#closing;
    if (paused && !socket.isPaused()) socket.pause();
    else if (!paused && socket.isPaused()) socket.resume();
  }
}
