import type { Application, LifespanApplication } from "tsgi";
import { callApplication, lifespanOf } from "tsgi";
import { RoutePattern } from "../urls/pattern.js";
import type { Settings } from "../settings/types.js";
import type { WebsocketConsumer } from "./consumer.js";
import { handshakeAuthLoader } from "./handshakeAuth.js";
import { InMemoryChannelLayer, type ChannelLayer } from "./layers.js";
import { originAllowed } from "./origin.js";

/** One WebSocket route: a Django path() pattern and the consumer class that serves it. */
export interface WebSocketRoute {
  readonly pattern: RoutePattern;
  readonly consumer: new () => WebsocketConsumer;
}

/**
 * A WebSocket route beside the HTTP ones, as Channels' `path()` in `websocket_urlpatterns`.
 *
 * @example
 * const websocketUrlpatterns = [wsPath("ws/chat/<slug:room>/", ChatConsumer)];
 */
export function wsPath(route: string, consumer: new () => WebsocketConsumer): WebSocketRoute {
  return { pattern: new RoutePattern(route, true), consumer };
}

/** Options of {@link withWebSockets}. */
export interface WebSocketRouterOptions {
  /** Hosts a handshake's Origin may name (ALLOWED_HOSTS); `"*"` allows any. */
  allowedHosts: readonly string[];
  /** Extra trusted origins (CSRF_TRUSTED_ORIGINS), e.g. `"https://*.example.com"`. */
  trustedOrigins?: readonly string[];
  /** Groups' layer (default: in-process). */
  layer?: ChannelLayer;
  /**
   * The site's settings (`application.settings`): consumers then get `scope.session` (SESSION_ENGINE,
   * from the session cookie) and `scope.user` (when MIDDLEWARE has AuthenticationMiddleware), as
   * Channels' AuthMiddlewareStack. Without them both are undefined.
   */
  settings?: Settings;
}

const encoder = new TextEncoder();

/**
 * The framework's app with WebSocket routes: a request with `tsgi.websocket` goes to the first
 * matching consumer (after the Origin check that plays CSRF's part for WebSockets: a cross-site page
 * must not open a socket with the user's cookies), any other request to `httpApp`.
 *
 * @example
 * export const app = withWebSockets(getTsgiApplication(settings), [wsPath("ws/chat/<slug:room>/", ChatConsumer)], {
 *   allowedHosts: settings.ALLOWED_HOSTS, trustedOrigins: settings.CSRF_TRUSTED_ORIGINS, settings,
 * });
 */
export function withWebSockets(httpApp: Application, routes: readonly WebSocketRoute[], options: WebSocketRouterOptions): Application {
  const layer = options.layer ?? new InMemoryChannelLayer();
  const loadAuth = options.settings === undefined ? undefined : handshakeAuthLoader(options.settings);
  const router: LifespanApplication = async (environ, startResponse) => {
    const socket = environ["tsgi.websocket"];
    if (socket === undefined) return callApplication(httpApp, environ, startResponse);
    const path = environ.PATH_INFO.replace(/^\//, "");
    for (const route of routes) {
      const match = route.pattern.match(path);
      if (match === undefined) continue;
      if (!originAllowed(environ.HTTP_ORIGIN, environ.HTTP_HOST, options.allowedHosts, options.trustedOrigins ?? [])) {
        startResponse("403 Forbidden", [["Content-Type", "text/plain; charset=utf-8"]]);
        return [encoder.encode("WebSocket origin not allowed\n")];
      }
      const auth = await loadAuth?.(environ);
      const consumer = new route.consumer();
      await consumer.run(socket, { environ, path: environ.PATH_INFO, kwargs: match.kwargs, cookies: parseCookies(environ.HTTP_COOKIE), ...auth }, layer);
      return [];
    }
    startResponse("404 Not Found", [["Content-Type", "text/plain; charset=utf-8"]]);
    return [encoder.encode("no WebSocket route\n")];
  };
  // The servers run the lifespan of the app they serve: forward the framework's (databases, LIFESPAN hooks).
  const lifespan = lifespanOf(httpApp);
  if (lifespan !== undefined) router.lifespan = lifespan;
  return router;
}

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0) cookies[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return cookies;
}
