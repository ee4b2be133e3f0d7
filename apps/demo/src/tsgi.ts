/**
 * The file every TSGI server loads (Django's wsgi.py):
 *
 *   pnpm exec tsgi-dev apps/demo/src/tsgi.ts:application
 *   pnpm exec tsgi-worker -w 4 apps/demo/src/tsgi.ts:application
 */
import { RedisChannelLayer, getTsgiApplication, withWebSockets } from "@tsgi/framework";
import { ensureDatabase } from "./guestbook/store.js";
import { settings } from "./settings.js";
import { websocketUrlpatterns } from "./urls.js";

// The guestbook's SQLite file is created and migrated before the first request (no manual step);
// a failure here is one clear line at start-up rather than an error on every request.
await ensureDatabase();

// HTTP goes to the framework; WebSocket handshakes (/ws/chat/) to their consumers, after the
// Origin check against ALLOWED_HOSTS and CSRF_TRUSTED_ORIGINS, with the visitor's session and user.
// The chat's groups live in this process unless CHAT_REDIS_URL names a Redis (redis://host:6379/0 or
// unix:///path/redis.sock): then they span every worker and instance through its pub/sub, as
// `pnpm cluster` runs them (a message sent through one instance reaches the sockets of all).
const chatRedisUrl = process.env.CHAT_REDIS_URL;
const layer = chatRedisUrl ? new RedisChannelLayer({ location: chatRedisUrl, prefix: "tsgi-demo.chat" }) : undefined;
const httpApplication = getTsgiApplication(settings);
export const application = withWebSockets(httpApplication, websocketUrlpatterns, {
  allowedHosts: settings.ALLOWED_HOSTS,
  trustedOrigins: settings.CSRF_TRUSTED_ORIGINS,
  settings: httpApplication.settings,
  ...(layer !== undefined && { layer }),
});
