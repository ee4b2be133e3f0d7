import { ImproperlyConfigured } from "../exceptions.js";
import type { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response/base.js";
import { acceptsSyncLayer, type SyncLayerFactory } from "../middleware/types.js";
import { attachMessageStorageClass } from "./api.js";
import type { MessageStorage } from "./storage/base.js";
import { CookieMessageStorage } from "./storage/cookie.js";
import { SessionMessageStorage } from "./storage/session.js";

/** Messages did not fit in the storage; raised in DEBUG only, as in Django. */
export class MessagesNotStored extends Error {
  constructor(count: number) {
    super(`Not all temporary messages could be stored (${count} dropped): the messages cookie is limited to 2 KB; use MESSAGE_STORAGE: "session" for more.`);
    this.name = "MessagesNotStored";
  }
}

/**
 * Django's `MessageMiddleware`: gives each request a message storage (MESSAGE_STORAGE:
 * signed cookie by default, or the session), and after the view keeps the messages not
 * yet shown for the next request. List it after SessionMiddleware.
 *
 * @example
 * defineSettings({ MIDDLEWARE: [SessionMiddleware, CsrfViewMiddleware, MessageMiddleware], ... });
 */
export const MessageMiddleware: SyncLayerFactory = (getResponse, settings) => {
  const storage = settings.MESSAGE_STORAGE ?? "cookie";
  if (storage !== "cookie" && storage !== "session") {
    throw new ImproperlyConfigured(`MESSAGE_STORAGE: expected "cookie" or "session", got ${JSON.stringify(storage)}.`);
  }
  const Storage = storage === "session" ? SessionMessageStorage : CookieMessageStorage;
  const store = async (storage: MessageStorage, response: HttpResponseBase): Promise<HttpResponseBase> => {
    const unstored = await storage.update(response);
    if (unstored.length > 0 && settings.DEBUG) throw new MessagesNotStored(unstored.length);
    return response;
  };
  // No storage made (nothing used messages), or nothing shown and nothing added: update() would do
  // nothing, so it is skipped and the chain stays synchronous.
  const after = (request: HttpRequest, response: HttpResponseBase) => {
    const storage = request.messageStorage;
    return storage !== undefined && storage.hasUpdate ? store(storage, response) : response;
  };
  return (request) => {
    attachMessageStorageClass(request, Storage);
    const response = getResponse(request);
    return response instanceof Promise ? response.then((value) => after(request, value)) : after(request, response);
  };
};
// Given the next layer as is (a response or a promise): see acceptsSyncLayer.
acceptsSyncLayer(MessageMiddleware);
