/**
 * The chat room's consumer: every socket on /ws/chat/ joins one group, and each message a page
 * sends is broadcast to every socket in the room (this process's; a RedisChannelLayer spans workers).
 */
import { JsonWebsocketConsumer, type GroupMessage } from "@tsgi/framework";

/** The one room of the demo. */
export const CHAT_GROUP = "chat_lobby";
/** Longest name and message a page may send, so one client cannot flood the room with megabytes. */
export const MAX_NAME = 50;
export const MAX_TEXT = 500;

/** What a page sends: `{ "name": "...", "text": "..." }`. */
function parseChat(content: unknown): { name: string; text: string } | string {
  if (typeof content !== "object" || content === null) return "send a JSON object with name and text";
  const { name, text } = content as Record<string, unknown>;
  if (typeof text !== "string" || text.trim() === "") return "write a message";
  if (text.length > MAX_TEXT) return `a message has at most ${MAX_TEXT} characters`;
  if (name !== undefined && typeof name !== "string") return "name must be a string";
  const given = (name ?? "").trim();
  if (given.length > MAX_NAME) return `a name has at most ${MAX_NAME} characters`;
  return { name: given, text: text.trim() };
}

/**
 * ws(s)://host/ws/chat/: joins the room on connect, broadcasts each valid message as
 * `{ name, text, time }`, answers a bad one with `{ error }` to its sender only. A logged-in
 * user speaks under their username whatever the page sends (scope.user, from the handshake's
 * session cookie); anyone else under the name they typed, else the one the guestbook remembered
 * in their session, else "anonymous".
 *
 * @example
 * const websocketUrlpatterns = [wsPath("ws/chat/", ChatConsumer)];
 */
export class ChatConsumer extends JsonWebsocketConsumer {
  override async connect(): Promise<void> {
    await this.groupAdd(CHAT_GROUP);
    await this.accept();
  }

  override async receiveJson(content: unknown): Promise<void> {
    const chat = parseChat(content);
    if (typeof chat === "string") return this.sendJson({ error: chat });
    const name = await this.speaker(chat.name);
    await this.channelLayer.groupSend(CHAT_GROUP, { type: "chat.message", name, text: chat.text, time: new Date().toISOString() });
  }

  /** Who a message is from: the logged-in user, or the typed name, or the guestbook's name in the session. */
  private async speaker(typed: string): Promise<string> {
    const { user, session } = this.scope;
    if (user?.isAuthenticated) return user.username;
    return typed || ((await session?.get<string>("name")) ?? "") || "anonymous";
  }

  /** A message of the room (group type `chat.message`): goes out to this socket. */
  async chat_message(message: GroupMessage): Promise<void> {
    await this.sendJson({ name: message.name, text: message.text, time: message.time });
  }
}
