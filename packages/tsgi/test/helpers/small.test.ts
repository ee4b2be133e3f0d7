import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { describeError, errorMessage, isAlive } from "../../src/helpers/index.js";

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
