import { FrameworkError } from "../exceptions.js";
import type { HttpRequest } from "../http/request.js";
import { DEBUG, ERROR, INFO, SUCCESS, WARNING } from "./constants.js";
import type { Message } from "./message.js";
import type { MessageStorage } from "./storage/base.js";

/** A message was added without MessageMiddleware (Django's `MessageFailure`). */
export class MessageFailure extends FrameworkError {}

declare module "../http/request.js" {
  interface HttpRequest {
    /**
     * The message storage MessageMiddleware attached; read it through `messageStorageOf(request)`.
     * A field rather than a WeakMap keyed by request: short-lived WeakMap keys cost the collector.
     */
    messageStorage?: MessageStorage;
    /** Set by MessageMiddleware: the storage class `messageStorageOf(request)` makes on first use. */
    messageStorageClass?: MessageStorageClass;
  }
}

/** A MessageStorage subclass that can be made for a request (CookieMessageStorage, SessionMessageStorage). */
export type MessageStorageClass = new (request: HttpRequest) => MessageStorage;

/** Attaches a request's storage (MessageMiddleware does this). */
export function attachMessageStorage(request: HttpRequest, storage: MessageStorage): void {
  request.messageStorage = storage;
}

/**
 * Makes the request's storage from `Storage` on first use (MessageMiddleware does this), so
 * requests that neither add nor show messages allocate none.
 */
export function attachMessageStorageClass(request: HttpRequest, Storage: MessageStorageClass): void {
  request.messageStorageClass = Storage;
  request.messageStorage = undefined;
}

/** The request's storage (made now if not yet), if MessageMiddleware is installed. */
export function messageStorageOf(request: HttpRequest): MessageStorage | undefined {
  const storage = request.messageStorage;
  if (storage !== undefined) return storage;
  const Storage = request.messageStorageClass;
  return Storage === undefined ? undefined : (request.messageStorage = new Storage(request));
}

/** Options for {@link addMessage}. */
export interface AddMessageOptions {
  /** Extra CSS classes for this message. */
  extraTags?: string;
  /** Do nothing (instead of throwing MessageFailure) when MessageMiddleware is not installed. */
  failSilently?: boolean;
}

/**
 * Queues a one-time message for the user, shown on the next page that lists messages
 * (Django's `messages.add_message`).
 *
 * @example
 * addMessage(request, SUCCESS, "Profile saved.");
 * return new HttpResponseRedirect("/profile/");
 */
export function addMessage(request: HttpRequest, level: number, message: string, options: AddMessageOptions = {}): void {
  const storage = messageStorageOf(request);
  if (storage === undefined) {
    if (options.failSilently) return;
    throw new MessageFailure("You cannot add messages without installing MessageMiddleware: add it to MIDDLEWARE (after SessionMiddleware).");
  }
  storage.add(level, message, options.extraTags ?? "");
}

/**
 * The messages waiting for this request, loaded; iterating them marks them shown.
 *
 * @example
 * for (const message of await getMessages(request)) console.log(message.tags, String(message));
 */
export async function getMessages(request: HttpRequest): Promise<Iterable<Message> & { readonly length: number; used: boolean }> {
  const storage = messageStorageOf(request);
  return storage ? storage.load() : Object.assign([] as Message[], { used: false });
}

type LevelShortcut = (request: HttpRequest, message: string, options?: AddMessageOptions) => void;
const shortcut = (level: number): LevelShortcut => (request, message, options) => addMessage(request, level, message, options);

/** Adds a DEBUG message. @example debug(request, "cache miss"); */
export const debug = shortcut(DEBUG);
/** Adds an INFO message. @example info(request, "Three new comments."); */
export const info = shortcut(INFO);
/** Adds a SUCCESS message. @example success(request, "Saved."); */
export const success = shortcut(SUCCESS);
/** Adds a WARNING message. @example warning(request, "Your plan ends soon."); */
export const warning = shortcut(WARNING);
/** Adds an ERROR message. @example error(request, "Payment failed."); */
export const error = shortcut(ERROR);
