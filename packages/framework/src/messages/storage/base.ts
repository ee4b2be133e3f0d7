import type { HttpRequest } from "../../http/request.js";
import type { HttpResponseBase } from "../../http/response.js";
import { INFO } from "../constants.js";
import { Message } from "../message.js";

/**
 * What messages are kept in between requests (Django's `BaseStorage`). Messages added
 * during a request are queued; those from earlier requests are loaded on demand; once the
 * messages are iterated (shown) they are gone, otherwise they wait for the next response.
 */
export abstract class MessageStorage implements Iterable<Message> {
  /** Set once the messages were iterated: they are then not stored again. */
  used = false;
  #queued: Message[] = [];
  #loaded: Message[] | undefined;
  #addedNew = false;

  constructor(protected readonly request: HttpRequest) {}

  /** Messages below this level are dropped (MESSAGE_LEVEL). */
  get level(): number {
    return this.request.settings.MESSAGE_LEVEL ?? INFO;
  }

  protected get tagOverrides(): Readonly<Record<number, string>> {
    return this.request.settings.MESSAGE_TAGS ?? {};
  }

  /** Reads stored messages from the cookie or session. */
  protected abstract read(): Promise<Message[]>;
  /** Stores the messages that must survive to the next request (none: remove them); returns those that did not fit. */
  protected abstract write(messages: Message[], response: HttpResponseBase): Promise<Message[]>;

  /** The stored messages when known without waiting (e.g. no cookie: none), else undefined. */
  protected readNow(): Message[] | undefined {
    return undefined;
  }

  /** Loads the stored messages (once); needed before iterating synchronously, e.g. in a template. */
  load(): Promise<this> {
    if (this.#loaded === undefined) {
      // Nothing stored (most pages): no async read and its awaits.
      const now = this.readNow();
      if (now === undefined) return this.#loadStored();
      this.#loaded = now;
    }
    return Promise.resolve(this);
  }

  async #loadStored(): Promise<this> {
    this.#loaded ??= await this.read();
    return this;
  }

  /** Queues a message for this or the next response; empty text and levels below MESSAGE_LEVEL are ignored. */
  add(level: number, message: string, extraTags = ""): void {
    if (!message || level < this.level) return;
    this.#addedNew = true;
    this.#queued.push(new Message(level, message, extraTags, this.tagOverrides));
  }

  /** Number of messages waiting (loaded plus queued). */
  get length(): number {
    return (this.#loaded?.length ?? 0) + this.#queued.length;
  }

  /** Shows the messages: they are marked used and not kept after this response. Call `load()` first. */
  *[Symbol.iterator](): Iterator<Message> {
    if (this.#loaded === undefined) {
      throw new Error("Messages were not loaded: use `for (const m of await getMessages(request))` (templates load them for you).");
    }
    this.used = true;
    this.onUsed();
    this.#loaded.push(...this.#queued.splice(0));
    yield* this.#loaded;
  }

  /** Hook for storages that must record the read (the session storage marks the session accessed). */
  protected onUsed(): void {}

  /** False when {@link update} would do nothing: the messages were not shown and none were added. */
  get hasUpdate(): boolean {
    return this.used || this.#addedNew;
  }

  /** Saves what must survive (Django's `update`); the middleware calls it. Returns messages that could not be stored. */
  async update(response: HttpResponseBase): Promise<Message[]> {
    if (this.used) return this.write(this.#queued, response);
    if (this.#addedNew) {
      await this.load();
      return this.write([...(this.#loaded ?? []), ...this.#queued], response);
    }
    return [];
  }
}
