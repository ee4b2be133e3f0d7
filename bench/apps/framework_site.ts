/**
 * The framework scenarios, served by tsgi-worker through @tsgi/framework's default
 * middleware stack (security, sessions, common, CSRF, messages, X-Frame-Options):
 * - `/bench/page/`: an apps/demo-style page: a session read, a template with inheritance
 *   (`page.html` extends `base.html`), a 10-item loop and a CSRF token in a form;
 * - `/bench/json/`: a small JSON answer.
 */
import {
  CommonMiddleware,
  CsrfViewMiddleware,
  JsonResponse,
  MessageMiddleware,
  SecurityMiddleware,
  SessionMiddleware,
  XFrameOptionsMiddleware,
  defineSettings,
  getTsgiApplication,
  path,
  render,
  type HttpRequest,
} from "@tsgi/framework";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const entries = Array.from({ length: 10 }, (_, i) => ({ name: `Guest ${i}`, message: `Message number ${i} <escaped>` }));
const items = Array.from({ length: 10 }, (_, i) => ({ id: i, name: `Item ${i}`, done: i % 2 === 0 }));

async function page(request: HttpRequest) {
  const visits = await request.session.get<number>("visits", 0);
  return render(request, "page.html", { entries, visits });
}

function json() {
  return new JsonResponse({ items, count: items.length });
}

export const settings = defineSettings({
  DEBUG: false,
  SECRET_KEY: "bench-only-secret-key",
  ALLOWED_HOSTS: ["127.0.0.1", "localhost"],
  MIDDLEWARE: [SecurityMiddleware, SessionMiddleware, CommonMiddleware, CsrfViewMiddleware, MessageMiddleware, XFrameOptionsMiddleware],
  urlpatterns: [path("bench/page/", page, { name: "page" }), path("bench/json/", json, { name: "json" })],
  TEMPLATES: { DIRS: [join(here, "templates")] },
});

export const application = getTsgiApplication(settings);
