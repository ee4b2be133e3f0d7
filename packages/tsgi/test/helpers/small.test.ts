import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { describeError, errorMessage, isAlive, waitForDrain } from "../../src/helpers/index.js";

describe("describeError and errorMessage", () => {
  it("give the stack or the message of an error, and String() of anything else", () => {
    const error = new TypeError("bad");
    expect(describeError(error)).toBe(error.stack);
    expect(describeError(error).startsWith("TypeError: bad\n    at ")).toBe(true);
    const stackless = new RangeError("far");
    stackless.stack = undefined;
    expect(describeError(stackless)).toBe("RangeError: far");
    expect(describeError("plain")).toBe("plain");
    expect(describeError(42)).toBe("42");
    expect(errorMessage(error)).toBe("bad");
    expect(errorMessage(undefined)).toBe("undefined");
  });
});

describe("isAlive", () => {
  it("is true for a running process and false once it has exited and been reaped", async () => {
    expect(isAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    await once(child, "spawn");
    const pid = child.pid as number;
    expect(isAlive(pid)).toBe(true);
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
    expect(isAlive(pid)).toBe(false);
  });

  it("counts a process of another user as alive (EPERM)", () => {
    // pid 1 exists on every Linux machine; as root the probe succeeds, otherwise it is EPERM: alive either way.
    expect(isAlive(1)).toBe(true);
  });
});

describe("waitForDrain", () => {
  it("resolves on drain, close, error or abort, and leaves no listener behind", async () => {
    const { EventEmitter } = await import("node:events");
    for (const event of ["drain", "close", "error"]) {
      const stream = new EventEmitter();
      const waiting = waitForDrain(stream);
      stream.emit(event, new Error("peer gone"));
      await waiting;
      expect(["drain", "close", "error"].map((name) => stream.listenerCount(name))).toEqual([0, 0, 0]);
    }
    const controller = new AbortController();
    const stream = new EventEmitter();
    const waiting = waitForDrain(stream, controller.signal);
    controller.abort();
    await waiting;
    expect(stream.listenerCount("drain")).toBe(0);
    await waitForDrain(new EventEmitter(), controller.signal); // already aborted: at once
  });

  it("waits for a real socket that refused a write until the peer reads", async () => {
    const { createServer, connect } = await import("node:net");
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const accepted = once(server, "connection");
    const client = connect((server.address() as import("node:net").AddressInfo).port, "127.0.0.1");
    const [peer] = (await accepted) as [import("node:net").Socket];
    peer.pause();
    const chunk = Buffer.alloc(1 << 20);
    let refused = false;
    for (let i = 0; i < 64 && !refused; i++) refused = !client.write(chunk);
    expect(refused).toBe(true);
    const drained = waitForDrain(client).then(() => client.writableLength);
    peer.resume();
    expect(await drained).toBeLessThan(chunk.length * 64);
    client.destroy();
    peer.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
