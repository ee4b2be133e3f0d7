/**
 * The engine's received-bytes buffer (src/connection/http/incomingBytes.ts): a head trickled in
 * small pieces is read correctly, with a linear number of copies and one full parse per line
 * (counts, never timings), and views handed out stay intact as more bytes arrive.
 */
import { describe, expect, it } from "vitest";
import { IncomingBytes } from "../src/connection/http/incomingBytes.js";
import { resolveLimits } from "../src/connection/limits.js";

const limits = resolveLimits({});

/** A head of about `size` bytes: `fields` header fields of equal length. */
function bigHead(fields: number, valueLength: number): string {
  let text = "GET /trickle?x=1 HTTP/1.1\r\nHost: example.test\r\n";
  for (let index = 0; index < fields; index++) text += `X-Field-${index}: ${String(index % 10).repeat(valueLength)}\r\n`;
  return `${text}\r\n`;
}

describe("IncomingBytes reads a trickled head through HeadReader", () => {
  it("parses a ~64 KiB head sent one byte at a time: one full parse per line, linear copies", () => {
    const head = Buffer.from(bigHead(98, 640), "latin1"); // 98 fields of ~655 bytes: ~64 KiB, within the defaults
    const incoming = new IncomingBytes();
    let result = incoming.readHead(limits);
    for (let index = 0; index < head.length; index++) {
      incoming.append(head.subarray(index, index + 1));
      result = incoming.readHead(limits);
      if (result.kind !== "incomplete") break;
    }
    expect(result.kind).toBe("head");
    if (result.kind !== "head") return;
    expect(result.head.target).toBe("/trickle?x=1");
    expect(result.head.rawHeaders.length / 2).toBe(99);
    expect(result.head.rawHeaders[2 * 98]).toBe("X-Field-97");
    expect(result.head.rawHeaders[2 * 98 + 1]).toBe("7".repeat(640));
    expect(result.head.headBytes).toBe(head.length);
    const lines = 101; // request line, 99 fields, the empty line
    // parseHead on the whole buffer per byte would be head.length (~64k) parses; HeadReader does a
    // few per line (at its CR, its LF and the next line's first byte).
    expect(incoming.headParses).toBeLessThanOrEqual(3 * lines + 1);
    // Buffer.concat per byte would copy head.length² / 2 (~2 GB) bytes; doubling copies under 3x the head.
    expect(incoming.copiedBytes).toBeLessThan(3 * head.length);
  });

  it("parses pipelined heads trickled in pieces of 1-7 bytes, one after the other", () => {
    const first = "GET /1 HTTP/1.1\r\nHost: a\r\nX-A: one\r\n\r\n";
    const second = "POST /2 HTTP/1.1\r\nHost: b\r\nContent-Length: 0\r\n\r\n";
    const wire = Buffer.from(first + second, "latin1");
    const incoming = new IncomingBytes();
    const targets: string[] = [];
    let offset = 0;
    let step = 1;
    while (offset < wire.length) {
      const next = Math.min(wire.length, offset + step);
      incoming.append(wire.subarray(offset, next));
      offset = next;
      step = (step % 7) + 1;
      for (;;) {
        const result = incoming.readHead(limits);
        if (result.kind !== "head") break;
        targets.push(`${result.head.method} ${result.head.target}`);
        incoming.consume(result.head.headBytes);
      }
    }
    expect(targets).toEqual(["GET /1", "POST /2"]);
    expect(incoming.length).toBe(0);
  });

  it("refuses an over-long field trickled in, as parseHead would (431)", () => {
    const wire = Buffer.from(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${"v".repeat(9000)}\r\n\r\n`, "latin1");
    const incoming = new IncomingBytes();
    let result = incoming.readHead(limits);
    for (let index = 0; index < wire.length && result.kind !== "reject"; index += 3) {
      incoming.append(wire.subarray(index, index + 3));
      result = incoming.readHead(limits);
    }
    expect(result.kind === "reject" && result.rejection.code).toBe(431);
  });

  it("keeps views handed out intact while more bytes are appended", () => {
    const incoming = new IncomingBytes();
    incoming.append(Buffer.from("abc"));
    incoming.append(Buffer.from("def"));
    const view = incoming.bytes as Buffer;
    incoming.consume(4);
    incoming.append(Buffer.from("ghijkl"));
    expect(view.toString()).toBe("abcdef");
    expect(incoming.bytes?.toString()).toBe("efghijkl");
    incoming.replace(Buffer.from("zz"));
    incoming.append(Buffer.from("y"));
    expect(view.toString()).toBe("abcdef");
    expect(incoming.bytes?.toString()).toBe("zzy");
  });
});
