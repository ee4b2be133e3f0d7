import type { HttpResponseBase } from "../../http/response.js";
import { getCookieSigner } from "../../signing/cookieSigner.js";
import { Message, messagesFromJson } from "../message.js";
import { MessageStorage } from "./base.js";

/** The cookie's name (Django's `CookieStorage.cookie_name`). */
export const MESSAGES_COOKIE = "messages";
/** Browsers cap cookies near 4 KB; Django keeps the messages cookie under 2048 bytes. */
const MAX_COOKIE_SIZE = 2048;
const SALT = "django.contrib.messages";

/**
 * Messages in a signed cookie (Django's `CookieStorage`): no server state; a tampered
 * cookie is ignored. When they do not fit in 2 KB the oldest are dropped (and reported).
 */
export class CookieMessageStorage extends MessageStorage {
  protected override readNow(): Message[] | undefined {
    return this.request.COOKIES[MESSAGES_COOKIE] === undefined ? [] : undefined;
  }

  protected async read(): Promise<Message[]> {
    const raw = this.request.COOKIES[MESSAGES_COOKIE];
    if (raw === undefined) return [];
    try {
      return messagesFromJson(getCookieSigner(this.request.settings, SALT).unsignObject(raw), this.tagOverrides);
    } catch {
      return [];
    }
  }

  protected async write(messages: Message[], response: HttpResponseBase): Promise<Message[]> {
    const settings = this.request.settings;
    const options = {
      path: settings.SESSION_COOKIE_PATH,
      ...(settings.SESSION_COOKIE_DOMAIN !== null && { domain: settings.SESSION_COOKIE_DOMAIN }),
      secure: settings.SESSION_COOKIE_SECURE,
      httpOnly: settings.SESSION_COOKIE_HTTPONLY,
      ...(settings.SESSION_COOKIE_SAMESITE !== false && { sameSite: settings.SESSION_COOKIE_SAMESITE }),
    };
    if (messages.length === 0) {
      if (MESSAGES_COOKIE in this.request.COOKIES) response.deleteCookie(MESSAGES_COOKIE, { path: options.path, ...(options.domain && { domain: options.domain }) });
      return [];
    }
    const signer = getCookieSigner(settings, SALT);
    const kept = [...messages];
    const dropped: Message[] = [];
    let value = signer.signObject(kept, { compress: true });
    // Percent-encoding can grow the value; measure what actually goes on the wire.
    while (encodeURIComponent(value).length > MAX_COOKIE_SIZE && kept.length > 0) {
      dropped.push(kept.shift() as Message);
      value = signer.signObject(kept, { compress: true });
    }
    response.setCookie(MESSAGES_COOKIE, value, options);
    return dropped;
  }
}
