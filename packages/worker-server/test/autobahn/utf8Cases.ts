/**
 * Autobahn category 6: text messages must be UTF-8 (RFC 6455 §5.6, §8.1). Valid text is echoed
 * whole or split anywhere, even inside a code point across fragments; invalid text fails the
 * connection with 1007. The vectors are written here from the UTF-8 rules (RFC 3629 §3-4):
 * boundaries of each sequence length, overlong forms, surrogates, code points past U+10FFFF,
 * stray continuation bytes, truncated sequences, bytes that never occur.
 */
import { OP } from "./frames.js";
import { echoCase, failCase, fragmentsOf, frameOf, text, type AutobahnCase } from "./caseTypes.js";

const hex = (bytes: string) => Buffer.from(bytes.replace(/\s+/g, ""), "hex");

const VALID: Array<[string, Buffer]> = [
  ["ASCII", Buffer.from("Hello, world!")],
  ["2-byte sequences (Latin-1 and Greek)", Buffer.from("Hello-µ@ßöäüàá-UTF-8!!")],
  ["the Greek word kosme", Buffer.from("κόσμε")],
  ["U+0080, the first 2-byte code point", hex("c2 80")],
  ["U+07FF, the last 2-byte code point", hex("df bf")],
  ["U+0800, the first 3-byte code point", hex("e0 a0 80")],
  ["U+D7FF, just below the surrogates", hex("ed 9f bf")],
  ["U+E000, just above the surrogates", hex("ee 80 80")],
  ["U+FFFD, the replacement character", hex("ef bf bd")],
  ["U+FFFE and U+FFFF, noncharacters but valid UTF-8", hex("ef bf be ef bf bf")],
  ["U+10000, the first 4-byte code point", hex("f0 90 80 80")],
  ["U+10FFFF, the last code point", hex("f4 8f bf bf")],
  ["an emoji beside ASCII", Buffer.from("a😀b")],
  ["U+0000 inside text", hex("61 00 62")],
];

const INVALID: Array<[string, Buffer]> = [
  ["a lone continuation byte 0x80", hex("80")],
  ["a lone continuation byte 0xBF", hex("bf")],
  ["two continuation bytes after text", Buffer.concat([Buffer.from("ab"), hex("80 bf")])],
  ["a 2-byte start byte followed by a space", hex("c2 20")],
  ["a 3-byte start byte followed by a space", hex("e0 20")],
  ["a 4-byte start byte followed by a space", hex("f0 20")],
  ["a truncated 3-byte sequence at the end (the euro sign cut)", Buffer.concat([Buffer.from("price: "), hex("e2 82")])],
  ["a truncated 4-byte sequence at the end", hex("f0 9f 98")],
  ["overlong '/' in 2 bytes", hex("c0 af")],
  ["overlong '/' in 3 bytes", hex("e0 80 af")],
  ["overlong '/' in 4 bytes", hex("f0 80 80 af")],
  ["the largest overlong 2-byte form (C1 BF)", hex("c1 bf")],
  ["the largest overlong 3-byte form (E0 9F BF)", hex("e0 9f bf")],
  ["the largest overlong 4-byte form (F0 8F BF BF)", hex("f0 8f bf bf")],
  ["overlong U+0000 (C0 80)", hex("c0 80")],
  ["the high surrogate U+D800", hex("ed a0 80")],
  ["the low surrogate U+DFFF", hex("ed bf bf")],
  ["a surrogate pair encoded as two 3-byte sequences", hex("ed a0 80 ed b0 80")],
  ["U+110000, past the last code point", hex("f4 90 80 80")],
  ["a 4-byte start byte F5 (never used)", hex("f5 80 80 80")],
  ["a 5-byte form (F8)", hex("f8 88 80 80 80")],
  ["a 6-byte form (FC)", hex("fc 84 80 80 80 80")],
  ["the byte FE", hex("fe")],
  ["the byte FF", hex("ff")],
  ["valid Greek with a surrogate inside", Buffer.concat([Buffer.from("κόσμε"), hex("ed a0 80"), Buffer.from("edited")])],
];

function basics(): AutobahnCase[] {
  const hello = text("Hello-µ@ßöäüàá-UTF-8!!");
  const kosme = text("κόσμε");
  const middle = text("middle frame payload");
  return [
    echoCase("6.1.1", "empty text frame", [{ frames: [frameOf(text(""))] }], [text("")]),
    echoCase("6.1.2", "empty text message in 3 empty fragments", [{ frames: [{ opcode: OP.text, fin: false }, { opcode: OP.continuation, fin: false }, { opcode: OP.continuation }] }], [text("")]),
    echoCase("6.1.3", "empty, non-empty and empty fragments", [{ frames: [{ opcode: OP.text, fin: false }, { opcode: OP.continuation, fin: false, payload: middle.data }, { opcode: OP.continuation }] }], [middle]),
    echoCase("6.2.1", "valid UTF-8 in one frame", [{ frames: [frameOf(hello)] }], [hello]),
    echoCase("6.2.2", "valid UTF-8 split at a code point boundary", [{ frames: [{ opcode: OP.text, fin: false, payload: hello.data.subarray(0, 11) }, { opcode: OP.continuation, payload: hello.data.subarray(11) }] }], [hello]),
    echoCase("6.2.3", "valid UTF-8, one byte per fragment (code points split across frames)", [{ frames: fragmentsOf(hello, 1) }], [hello]),
    echoCase("6.2.4", "kosme, one byte per fragment", [{ frames: fragmentsOf(kosme, 1) }], [kosme]),
    failCase("6.3.1", "invalid UTF-8 in one frame", [{ frames: [frameOf(text(INVALID.at(-1)![1]))] }], [1007]),
    failCase("6.3.2", "invalid UTF-8, one byte per fragment", [{ frames: fragmentsOf(text(INVALID.at(-1)![1]), 1) }], [1007]),
  ];
}

/** 6.4: the invalid bytes arrive in a middle fragment; the server must fail (at the latest when the message ends). */
function midMessage(): AutobahnCase[] {
  const pieces: Array<[Buffer, Buffer, Buffer]> = [
    [Buffer.from("κόσμε"), hex("f4 90 80 80"), Buffer.from("edited")],
    [Buffer.from("κόσμε"), hex("f4 90"), hex("80 80 65 64 69 74 65 64")],
    [Buffer.from("κόσμε"), hex("ed a0 80"), Buffer.from("edited")],
    [Buffer.from("κόσμε"), hex("c0"), hex("af")],
  ];
  return pieces.map(([first, bad, last], index) =>
    failCase(`6.4.${index + 1}`, `invalid bytes ${bad.toString("hex")} in the middle fragment of 3`, [
      { frames: [{ opcode: OP.text, fin: false, payload: first }, { opcode: OP.continuation, fin: false, payload: bad }] },
      { frames: [{ opcode: OP.continuation, payload: last }] },
    ], [1007]),
  );
}

/** 6.5 and on: each vector whole (section .1 of its case) and one byte per fragment (.2). */
function vectors(): AutobahnCase[] {
  return [...VALID.map((entry) => [...entry, true] as const), ...INVALID.map((entry) => [...entry, false] as const)].flatMap(([name, bytes, valid], index) => {
    const message = text(bytes);
    const id = `6.${index + 5}`;
    return valid
      ? [echoCase(`${id}.1`, `valid: ${name}`, [{ frames: [frameOf(message)] }], [message]), echoCase(`${id}.2`, `valid: ${name}, one byte per fragment`, [{ frames: fragmentsOf(message, 1) }], [message])]
      : [failCase(`${id}.1`, `invalid: ${name}`, [{ frames: [frameOf(message)] }], [1007]), failCase(`${id}.2`, `invalid: ${name}, one byte per fragment`, [{ frames: fragmentsOf(message, 1) }], [1007])];
  });
}

export const utf8Cases: AutobahnCase[] = [...basics(), ...midMessage(), ...vectors()];
