/**
 * Autobahn categories 1 to 5, re-created from its public case list: framing (1), ping/pong (2),
 * reserved bits (3), reserved opcodes (4) and fragmentation (5). RFC 6455 §5.2-§5.5.
 */
import { closePayload, OP } from "./frames.js";
import { binary, echoCase, failCase, filled, fragmentsOf, frameOf, text, type AutobahnCase } from "./caseTypes.js";

const MIB = 1024 * 1024;
const FRAMING_LENGTHS = [0, 125, 126, 127, 128, 65535, 65536];

/** Category 1: text (1.1) and binary (1.2) at every length-encoding edge, one chopped into 997-byte writes, and 16 MiB. */
function framing(): AutobahnCase[] {
  return [false, true].flatMap((asBinary, section) => {
    const kind = asBinary ? "binary" : "text";
    const cases = FRAMING_LENGTHS.map((length, index) =>
      echoCase(`1.${section + 1}.${index + 1}`, `${kind} message of ${length} bytes`, [{ frames: [frameOf(filled(length, asBinary))] }], [filled(length, asBinary)]),
    );
    const chopped = filled(65536, asBinary);
    cases.push(echoCase(`1.${section + 1}.8`, `${kind} message of 65536 bytes written in 997-byte TCP chunks`, [{ frames: [frameOf(chopped)], chop: 997 }], [chopped]));
    const huge = filled(16 * MIB, asBinary);
    cases.push(echoCase(`1.${section + 1}.9`, `${kind} message of 16 MiB (64-bit length)`, [{ frames: [frameOf(huge)] }], [huge]));
    return cases;
  });
}

/** Category 2: pings answered with pongs carrying the same payload; pongs never answered; oversize pings refused. */
function pings(): AutobahnCase[] {
  const all = Buffer.from(Array.from({ length: 256 }, (_, index) => index)).subarray(0, 125);
  const ping = (payload: Buffer | string = "") => ({ opcode: OP.ping, payload });
  const tenPings = Array.from({ length: 10 }, (_, index) => Buffer.from(`payload-${index}`));
  return [
    echoCase("2.1", "ping without payload", [{ frames: [ping()] }], [], [Buffer.alloc(0)]),
    echoCase("2.2", "ping with a text payload", [{ frames: [ping("Hello, world!")] }], [], [Buffer.from("Hello, world!")]),
    echoCase("2.3", "ping with a binary payload", [{ frames: [ping(Buffer.from([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff]))] }], [], [Buffer.from([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff])]),
    echoCase("2.4", "ping with the largest payload allowed, 125 bytes", [{ frames: [ping(all)] }], [], [all]),
    failCase("2.5", "ping with a 126-byte payload (control frames carry at most 125)", [{ frames: [ping(Buffer.alloc(126, 0xfe))] }]),
    echoCase("2.6", "ping of 125 bytes written one byte at a time", [{ frames: [ping(all)], chop: 1 }], [], [all]),
    echoCase("2.7", "unsolicited pong without payload: ignored", [{ frames: [{ opcode: OP.pong }] }], []),
    echoCase("2.8", "unsolicited pong with payload: ignored", [{ frames: [{ opcode: OP.pong, payload: "unsolicited" }] }], []),
    echoCase("2.9", "unsolicited pong, then ping: one pong, for the ping", [{ frames: [{ opcode: OP.pong, payload: "unsolicited" }, ping("solicited")] }], [], [Buffer.from("solicited")]),
    echoCase("2.10", "10 pings in one write", [{ frames: tenPings.map((payload) => ping(payload)) }], [], tenPings),
    echoCase("2.11", "10 pings, each written one byte at a time", tenPings.map((payload) => ({ frames: [ping(payload)], chop: 1 })), [], tenPings),
  ];
}

/** Category 3: a reserved bit without a negotiated extension fails the connection (§5.2), after what came before was echoed. */
function reservedBits(): AutobahnCase[] {
  const hello = text("Hello, world!");
  const bad = [
    { rsv: 4, opcode: OP.text, payload: "Hello, world!" },
    { rsv: 2, opcode: OP.text, payload: "Hello, world!" },
    { rsv: 1, opcode: OP.text, payload: "Hello, world!" },
    { rsv: 6, opcode: OP.text, payload: "Hello, world!" },
    { rsv: 5, opcode: OP.binary, payload: Buffer.from([0, 1, 2, 3]) },
    { rsv: 3, opcode: OP.ping, payload: "Hello, world!" },
    { rsv: 7, opcode: OP.close, payload: closePayload(1000) },
  ];
  return bad.map((frame, index) =>
    index === 0
      ? failCase("3.1", "RSV1 on a text frame", [{ frames: [frame] }])
      : failCase(`3.${index + 1}`, `RSV ${frame.rsv} on opcode ${frame.opcode}, after an echoed text`, [{ frames: [frameOf(hello)] }, { waitMessages: 1 }, { frames: [frame, { opcode: OP.ping }] }], [1002], { messages: [hello] }),
  );
}

/** Category 4: reserved data opcodes 3-7 (4.1) and control opcodes 11-15 (4.2) fail the connection. */
function reservedOpcodes(): AutobahnCase[] {
  const hello = text("Hello, world!");
  return [3, 11].flatMap((base, section) =>
    [0, 1, 2, 3, 4].map((offset) => {
      const opcode = base + offset;
      const payload = offset % 2 === 0 ? Buffer.alloc(0) : Buffer.from("reserved");
      return offset === 0
        ? failCase(`4.${section + 1}.1`, `reserved opcode ${opcode}`, [{ frames: [{ opcode, payload }] }])
        : failCase(`4.${section + 1}.${offset + 1}`, `reserved opcode ${opcode} between an echoed text and a ping`, [{ frames: [frameOf(hello)] }, { waitMessages: 1 }, { frames: [{ opcode, payload }, { opcode: OP.ping }] }], [1002], { messages: [hello] });
    }),
  );
}

/** Category 5: fragmented messages, control frames between fragments, and continuation frames out of place. */
function fragmentation(): AutobahnCase[] {
  const two = text("fragment1fragment2");
  const frag = (opcode: number, payload: string, fin: boolean) => ({ opcode, payload, fin });
  const pingBetween = [frag(OP.text, "fragment1", false), { opcode: OP.ping, payload: "ping payload" }, frag(OP.continuation, "fragment2", true)];
  const strayFinal = [frag(OP.continuation, "fragment1", true), frag(OP.text, "fragment2", true)];
  const strayOpen = [frag(OP.continuation, "fragment1", false), frag(OP.continuation, "fragment2", true), frag(OP.text, "fragment3", true)];
  const five = text("fragment1fragment2fragment3fragment4fragment5");
  const fiveSteps = (chop?: number) => [
    { frames: [frag(OP.text, "fragment1", false), frag(OP.continuation, "fragment2", false), { opcode: OP.ping, payload: "pongme 1!" }], chop },
    { waitPongs: 1 },
    { frames: [frag(OP.continuation, "fragment3", false), frag(OP.continuation, "fragment4", false), { opcode: OP.ping, payload: "pongme 2!" }], chop },
    { waitPongs: 2 },
    { frames: [frag(OP.continuation, "fragment5", true)], chop },
  ];
  return [
    failCase("5.1", "ping split in 2 fragments (control frames must not be fragmented)", [{ frames: [frag(OP.ping, "fragment1", false), frag(OP.continuation, "fragment2", true)] }]),
    failCase("5.2", "pong split in 2 fragments", [{ frames: [frag(OP.pong, "fragment1", false), frag(OP.continuation, "fragment2", true)] }]),
    echoCase("5.3", "text in 2 fragments", [{ frames: fragmentsOf(two, 9) }], [two]),
    echoCase("5.4", "text in 2 fragments, written apart", fragmentsOf(two, 9).map((frame) => ({ frames: [frame] })), [two]),
    echoCase("5.5", "text in 2 fragments, one byte per write", [{ frames: fragmentsOf(two, 9), chop: 1 }], [two]),
    echoCase("5.6", "text in 2 fragments with a ping between them", [{ frames: pingBetween }], [two], [Buffer.from("ping payload")]),
    echoCase("5.7", "same, one byte per write", [{ frames: pingBetween, chop: 1 }], [two], [Buffer.from("ping payload")]),
    echoCase("5.8", "same, each frame written apart", pingBetween.map((frame) => ({ frames: [frame] })), [two], [Buffer.from("ping payload")]),
    failCase("5.9", "final continuation frame with no message started", [{ frames: strayFinal }]),
    failCase("5.10", "same, one byte per write", [{ frames: strayFinal, chop: 1 }]),
    failCase("5.11", "same, each frame written apart", strayFinal.map((frame) => ({ frames: [frame] }))),
    failCase("5.12", "non-final continuation frame with no message started", [{ frames: strayOpen }]),
    failCase("5.13", "same, one byte per write", [{ frames: strayOpen, chop: 1 }]),
    failCase("5.14", "same, each frame written apart", strayOpen.map((frame) => ({ frames: [frame] }))),
    failCase("5.15", "a message, then a continuation of nothing", [{ frames: [frag(OP.text, "fragment1", false), frag(OP.continuation, "fragment2", true), frag(OP.continuation, "fragment3", false), frag(OP.text, "fragment4", true)] }], [1002], { messages: [text("fragment1fragment2")] }),
    failCase("5.16", "continuations around a message, twice", [{ frames: [frag(OP.continuation, "fragment1", false), frag(OP.text, "fragment2", false), frag(OP.continuation, "fragment3", true)] }]),
    failCase("5.17", "final continuations around a message", [{ frames: [frag(OP.continuation, "fragment1", true), frag(OP.text, "fragment2", false), frag(OP.continuation, "fragment3", true)] }]),
    failCase("5.18", "a new text frame while a text message is fragmented", [{ frames: [frag(OP.text, "fragment1", false), frag(OP.text, "fragment2", true)] }]),
    echoCase("5.19", "text in 5 fragments with 2 pings between, answered mid-message", fiveSteps(), [five], [Buffer.from("pongme 1!"), Buffer.from("pongme 2!")]),
    echoCase("5.20", "same, one byte per write", fiveSteps(1), [five], [Buffer.from("pongme 1!"), Buffer.from("pongme 2!")]),
    echoCase("5.21", "binary in 3 fragments with a 125-byte ping between", [{ frames: [...fragmentsOf(binary(Buffer.from([1, 2, 3, 4, 5, 6])), 2).slice(0, 1), { opcode: OP.ping, payload: Buffer.alloc(125, 7) }, ...fragmentsOf(binary(Buffer.from([1, 2, 3, 4, 5, 6])), 2).slice(1)] }], [binary(Buffer.from([1, 2, 3, 4, 5, 6]))], [Buffer.alloc(125, 7)]),
  ];
}

export const framingCases: AutobahnCase[] = [...framing(), ...pings(), ...reservedBits(), ...reservedOpcodes(), ...fragmentation()];
