/** The demo's URL configuration (Django's urls.py). */
import { include, path, serveStatic, wsPath, type HttpRequest } from "@tsgi/framework";
import { authUrls } from "@tsgi/framework/auth";
import { signup } from "./accounts/views.js";
import { ChatConsumer } from "./chat/consumer.js";
import { chat } from "./chat/views.js";
import { entriesApi } from "./guestbook/api.js";
import { attachment, exportCsv, home, sign } from "./guestbook/views.js";
import { boom, environ, events, live, notFound, serverError } from "./pages/views.js";

export const urlpatterns = [
  path("", home, { name: "home" }),
  path("sign/", sign, { name: "sign" }),
  path("entries/<uuid:id>/attachment/", attachment, { name: "attachment" }),
  path("export.csv", exportCsv, { name: "export-csv" }),
  path("api/entries/", entriesApi, { name: "api-entries" }),
  path("environ/", environ, { name: "environ" }),
  path("live/", live, { name: "live" }),
  path("events/", events, { name: "events" }),
  path("chat/", chat, { name: "chat" }),
  path("boom/", boom, { name: "boom" }),
  path("accounts/signup/", signup, { name: "signup" }),
  path("accounts/", include(authUrls())),
  // The demo serves its own CSS under every server so it looks the same wherever it runs;
  // a production site runs `manage collectstatic` and lets nginx serve STATIC_ROOT.
  path("static/<path:file>", (request: HttpRequest, { file }: { file: string }) => serveStatic(request, file), { name: "static" }),
];

/** WebSocket routes (Channels' websocket_urlpatterns), served by `withWebSockets` in tsgi.ts. */
export const websocketUrlpatterns = [wsPath("ws/chat/", ChatConsumer)];

export const handler404 = notFound;
export const handler500 = serverError;
