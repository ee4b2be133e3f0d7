/** The validator's WebSocket and lifespan rules (SPEC.md, "WebSocket and Lifespan"): a failing app per rule. */
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createMemoryErrorStream, startLifespan, TsgiValidationError, validator, withLifespan, type Application, type Environ, type StartResponse } from "../../src/index.js";
import { createServer } from "../../src/node/index.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve).closeAllConnections())));
});

/** Serves `app` under the validator, opens one WebSocket to it, and resolves with the rule the app broke. */
async function brokenRule(app: (environ: Environ, startResponse: StartResponse) => Promise<Uint8Array[]>): Promise<string | undefined> {
  let rule: string | undefined;
  const reported = new Promise<void>((resolve) => {
    const server = createServer(validator(app), {
      errors: createMemoryErrorStream(),
      onError: (error) => {
        rule = error instanceof TsgiValidationError ? error.rule : String(error);
        resolve();
      },
    });
    servers.push(server);
    server.listen(0, "127.0.0.1", () => {
      const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      client.on("error", () => undefined);
      client.on("open", () => client.send("hi"));
    });
  });
  await reported;
  return rule;
}

describe("validator: WebSocket rules (application side)", () => {
  it("websocket-send-before-accept", async () => {
    expect(await brokenRule(async (environ) => {
      await environ["tsgi.websocket"]!.send("too early");
      return [];
    })).toBe("websocket-send-before-accept");
  });

  it("websocket-accept-twice", async () => {
    expect(await brokenRule(async (environ) => {
      await environ["tsgi.websocket"]!.accept();
      await environ["tsgi.websocket"]!.accept();
      return [];
    })).toBe("websocket-accept-twice");
  });

  it("websocket-accept-after-start-response", async () => {
    expect(await brokenRule(async (environ, startResponse) => {
      startResponse("403 Forbidden", [["Content-Type", "text/plain"]]);
      await environ["tsgi.websocket"]!.accept();
      return [];
    })).toBe("websocket-accept-after-start-response");
  });

  it("websocket-start-response-after-accept", async () => {
    expect(await brokenRule(async (environ, startResponse) => {
      await environ["tsgi.websocket"]!.accept();
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      return [];
    })).toBe("websocket-start-response-after-accept");
  });

  it("websocket-send-after-close", async () => {
    expect(await brokenRule(async (environ) => {
      const websocket = environ["tsgi.websocket"]!;
      await websocket.accept();
      await websocket.close();
      await websocket.send("too late");
      return [];
    })).toBe("websocket-send-after-close");
  });

  it("websocket-message-type", async () => {
    expect(await brokenRule(async (environ) => {
      await environ["tsgi.websocket"]!.accept();
      await environ["tsgi.websocket"]!.send({ text: "an object" } as never);
      return [];
    })).toBe("websocket-message-type");
  });

  it("websocket-body-not-empty", async () => {
    expect(await brokenRule(async (environ) => {
      await environ["tsgi.websocket"]!.accept();
      return [new TextEncoder().encode("bytes for nobody")];
    })).toBe("websocket-body-not-empty");
  });

  it("a correct echo app breaks no rule", async () => {
    const errors: unknown[] = [];
    const server = createServer(validator(async (environ) => {
      const websocket = environ["tsgi.websocket"]!;
      await websocket.accept();
      for await (const message of websocket) await websocket.send(message);
      return [];
    }), { onError: (error) => void errors.push(error) });
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await once(client, "open");
    client.send("fine");
    expect((await once(client, "message"))[0].toString()).toBe("fine");
    client.close();
    await once(client, "close");
    expect(errors).toEqual([]);
  });
});

describe("validator: lifespan rules", () => {
  const hello: Application = (environ, startResponse) => {
    startResponse("200 OK", [["Content-Type", "text/plain"]]);
    return [];
  };

  it("forwards the lifespan of the app it wraps", async () => {
    const order: string[] = [];
    const checked = validator(withLifespan(hello, { startup: () => void order.push("up"), shutdown: () => void order.push("down") }));
    const running = await startLifespan(checked);
    await running.shutdown();
    expect(order).toEqual(["up", "down"]);
  });

  it("lifespan-startup-timeout: a start-up that never settles", async () => {
    const checked = validator(withLifespan(hello, { startup: () => new Promise<void>(() => undefined) }), { lifespanTimeout: 50 });
    const failure = await startLifespan(checked).catch((error: unknown) => error);
    expect((failure as Error & { cause?: unknown }).cause).toBeInstanceOf(TsgiValidationError);
    expect(((failure as Error & { cause: TsgiValidationError }).cause).rule).toBe("lifespan-startup-timeout");
  });

  it("lifespan-type: a lifespan that is not { startup?, shutdown? }", () => {
    expect(() => validator(Object.assign(() => [], { lifespan: { startup: 42 } }))).toThrow(expect.objectContaining({ rule: "lifespan-type" }));
  });

  it("environ-state-type (server side): every environ carries the state start-up was given", async () => {
    const checked = validator(withLifespan(hello, { startup: () => undefined }));
    await startLifespan(checked);
    const server = createServer(checked, { state: { another: "object" }, errors: createMemoryErrorStream(), onError: () => undefined });
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(response.status).toBe(500);
  });
});
