/** The chat page: its script opens the WebSocket that {@link ChatConsumer} serves. */
import { render, type HttpRequest, type HttpResponseBase } from "@tsgi/framework";
import { MAX_NAME, MAX_TEXT } from "./consumer.js";

/**
 * GET /chat/: the room; messages come and go over ws(s)://host/ws/chat/. The name field shows
 * the username of a logged-in user (fixed: the consumer uses it anyway) or the guestbook's name.
 */
export async function chat(request: HttpRequest): Promise<HttpResponseBase> {
  const signedIn = request.user.isAuthenticated;
  const name = signedIn ? request.user.username : ((await request.session.get<string>("name")) ?? "");
  return render(request, "chat.html", { maxName: MAX_NAME, maxText: MAX_TEXT, name, signedIn });
}
