// fetchBridge.ts
import { callApplication, startLifespan, withLifespan, type Application } from "tsgi";
import { fromFetchHandler, toFetchHandler, type FetchStyleHandler } from "tsgi/fetch";
import { echoApp } from "./echoApp.js";

/** A fetch-style handler (Hono's `app.fetch`, say): plain HTTP, reading the lifespan state through its context. */
const pages: FetchStyleHandler = (request, { environ }) =>
  new Response(`${new URL(request.url).pathname} served since ${String(environ["tsgi.state"]?.since)}\n`);
const pagesApp = fromFetchHandler(pages);

/** Upgrade requests go to a TSGI app in front of the bridge (it answers 426 where `tsgi.websocket` is absent); the rest to the fetch handler. */
export const app: Application = withLifespan(
  (environ, startResponse) =>
    environ.HTTP_UPGRADE?.toLowerCase() === "websocket" ? callApplication(echoApp, environ, startResponse) : pagesApp(environ, startResponse),
  { startup: (state) => void (state.since = "startup") },
);

/** On a fetch host (`Deno.serve(await fetchHandler())`): the host runs the lifespan; no `tsgi.websocket` there, so upgrades get 426. */
export async function fetchHandler(): Promise<(request: Request) => Promise<Response>> {
  const lifespan = await startLifespan(app);
  return toFetchHandler(app, { state: lifespan.state });
}
