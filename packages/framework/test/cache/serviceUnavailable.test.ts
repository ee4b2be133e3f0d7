import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApp } from "tsgi";
import { HttpResponse, ServiceUnavailable, connections, path } from "../../src/index.js";
import { Session as SessionModel } from "../../src/db/contrib/sessions/models.js";
import { makeApp } from "../helpers/core.js";

let closedPort = 0;
beforeAll(async () => {
  // A port nothing listens on: the database "is down".
  closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
  await connections.override("default", { ENGINE: "postgresql", NAME: "site", USER: "postgres", HOST: "127.0.0.1", PORT: closedPort });
});
afterAll(() => connections.restore("default"));

const retryAfter = (headers: ReadonlyArray<readonly [string, string]>) => headers.find(([name]) => name.toLowerCase() === "retry-after")?.[1];

describe("503 Service Unavailable with Retry-After", () => {
  it("a view raising ServiceUnavailable: 503, its retryAfter, no internals in the page", async () => {
    const app = makeApp({ urlpatterns: [path("", () => { throw new ServiceUnavailable("search cluster at 10.0.0.9 down", { retryAfter: 30 }); })] });
    const response = await callApp(app, { path: "/" });
    expect(response.status).toBe(503);
    expect(retryAfter(response.headers)).toBe("30");
    expect(response.text()).not.toContain("10.0.0.9");
  });

  it("a query while the database server is unreachable: 503 (not 500) with Retry-After", async () => {
    const app = makeApp({ urlpatterns: [path("", async () => new HttpResponse(String(await SessionModel.objects.count())))] });
    const response = await callApp(app, { path: "/" });
    expect(response.status).toBe(503);
    expect(retryAfter(response.headers)).toBe("5");
  });

  it("a database error that is a bug (not an outage) stays a 500", async () => {
    await connections.override("default", { ENGINE: "sqlite", NAME: ":memory:" });
    try {
      // No table: a ProgrammingError, the site's own fault.
      const app = makeApp({ urlpatterns: [path("", async () => new HttpResponse(String(await SessionModel.objects.count())))] });
      expect((await callApp(app, { path: "/" })).status).toBe(500);
    } finally {
      await connections.override("default", { ENGINE: "postgresql", NAME: "site", USER: "postgres", HOST: "127.0.0.1", PORT: closedPort });
    }
  });
});
