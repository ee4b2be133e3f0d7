/** The chat page: its script opens the WebSocket that {@link ChatConsumer} serves. */
import { render, type HttpRequest, type HttpResponseBase } from "@tsgi/framework";
import { MAX_NAME, MAX_TEXT } from "./consumer.js";

/** GET /chat/: the room; messages come and go over ws(s)://host/ws/chat/. */
export async function chat(request: HttpRequest): Promise<HttpResponseBase> {
  return render(request, "chat.html", { maxName: MAX_NAME, maxText: MAX_TEXT });
}
