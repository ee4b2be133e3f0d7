import type { Environ, TsgiWebSocket } from "tsgi";
import type { RequestUser } from "../auth/user.js";
import type { Session } from "../sessions/session.js";
import type { ChannelLayer, GroupMember, GroupMessage } from "./layers.js";

/** What a consumer knows about its connection (Channels' `scope`). */
export interface ConsumerScope {
  readonly environ: Environ;
  readonly path: string;
  /** The route's captured parameters (`<slug:room>` gives `kwargs.room`). */
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** The handshake's cookies. */
  readonly cookies: Readonly<Record<string, string>>;
  /** The visitor's session, when withWebSockets was given `settings` (read it; a handshake sets no cookie). */
  readonly session?: Session;
  /** With `settings`: the logged-in user when MIDDLEWARE has AuthenticationMiddleware, else an AnonymousUser. */
  readonly user?: RequestUser;
}

/**
 * A WebSocket consumer as Django Channels has it: override `connect` (call `accept()` or `close()`),
 * `receive` and `disconnect`; `send`, `close`, and groups through the channel layer.
 *
 * @example
 * class Echo extends WebsocketConsumer {
 *   override async connect() { await this.accept(); }
 *   override async receive(text?: string) { if (text !== undefined) await this.send({ text }); }
 * }
 */
export class WebsocketConsumer implements GroupMember {
  #socket!: TsgiWebSocket;
  #groups = new Set<string>();
  scope!: ConsumerScope;
  channelLayer!: ChannelLayer;

  /** Called by the router: runs the consumer for the life of the connection. */
  async run(socket: TsgiWebSocket, scope: ConsumerScope, layer: ChannelLayer): Promise<void> {
    this.#socket = socket;
    this.scope = scope;
    this.channelLayer = layer;
    await this.connect();
    if (socket.state === "pending") await socket.close(); // neither accepted nor closed: refused (403)
    if (socket.state !== "open") return;
    try {
      for await (const message of socket) {
        if (typeof message === "string") await this.receive(message, undefined);
        else await this.receive(undefined, message);
      }
    } finally {
      const { code } = await socket.closed;
      for (const group of this.#groups) await layer.groupDiscard(group, this);
      await this.disconnect(code);
    }
  }

  /** Accepts the connection (default: refuses it, so a consumer says yes on purpose). */
  async connect(): Promise<void> {}
  async receive(_text: string | undefined, _bytes: Uint8Array | undefined): Promise<void> {}
  async disconnect(_code: number): Promise<void> {}

  accept(subprotocol?: string): Promise<void> {
    return this.#socket.accept(subprotocol === undefined ? {} : { subprotocol });
  }

  send(message: { text: string } | { bytes: Uint8Array }): Promise<void> {
    return this.#socket.send("text" in message ? message.text : message.bytes);
  }

  close(code = 1000): Promise<void> {
    return this.#socket.close(code);
  }

  async groupAdd(group: string): Promise<void> {
    this.#groups.add(group);
    await this.channelLayer.groupAdd(group, this);
  }

  async groupDiscard(group: string): Promise<void> {
    this.#groups.delete(group);
    await this.channelLayer.groupDiscard(group, this);
  }

  /**
   * A group message: calls the method named by its `type` with dots as underscores
   * (`"chat.message"` calls `chat_message(message)`), as Channels does.
   */
  async groupMessage(message: GroupMessage): Promise<void> {
    const name = String(message.type ?? "").replaceAll(".", "_");
    const handler: unknown = Reflect.get(this, name);
    if (typeof handler !== "function") throw new TypeError(`${this.constructor.name} has no handler ${name}() for group messages of type ${String(message.type)}`);
    await Reflect.apply(handler, this, [message]);
  }
}

/** A consumer that speaks JSON: `receiveJson(content)` and `sendJson(content)`. */
export class JsonWebsocketConsumer extends WebsocketConsumer {
  override async receive(text: string | undefined): Promise<void> {
    if (text === undefined) return this.close(1003); // binary is not JSON: unsupported data
    let content: unknown;
    try {
      content = JSON.parse(text);
    } catch {
      return this.close(1007); // invalid payload
    }
    await this.receiveJson(content);
  }

  async receiveJson(_content: unknown): Promise<void> {}

  sendJson(content: unknown): Promise<void> {
    return this.send({ text: JSON.stringify(content) });
  }
}
