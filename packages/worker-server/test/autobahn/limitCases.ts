/**
 * Autobahn categories 9 (limits and performance: large messages whole, in fragments and in small
 * TCP writes, and many small messages one at a time and back to back) and 10 (a message split by
 * the sender into frames of its choosing). Bounded for a shared 2-core machine: at most 16 MiB per
 * message and 1000 messages per case. A message over the server's limit is answered with 1009
 * (the runner turns the expected echo into that failure from the server's `maxMessageSize`).
 */
import { echoCase, filled, fragmentsOf, frameOf, type AutobahnCase, type ExpectedMessage, type Step } from "./caseTypes.js";

const KIB = 1024;
const MIB = 1024 * KIB;
const LARGE = [64 * KIB, 256 * KIB, MIB, 4 * MIB, 8 * MIB, 16 * MIB];
const FRAGMENT_SIZES = [64, 256, KIB, 4 * KIB, 16 * KIB, 64 * KIB, 256 * KIB, MIB];
const CHOPS = [64, 128, 256, 512, 1024, 2048];
const SMALL = [0, 16, 64, 256, 1024, 4096];

const size = (bytes: number) => (bytes >= MIB ? `${bytes / MIB} MiB` : bytes >= KIB ? `${bytes / KIB} KiB` : `${bytes} bytes`);

function large(): AutobahnCase[] {
  return [false, true].flatMap((asBinary, section) => {
    const kind = asBinary ? "binary" : "text";
    return [
      ...LARGE.map((bytes, index) => echoCase(`9.${section + 1}.${index + 1}`, `${kind} message of ${size(bytes)}`, [{ frames: [frameOf(filled(bytes, asBinary))] }], [filled(bytes, asBinary)])),
      // 9.3/9.4: 1 MiB (the default limit, so every server echoes it) in fragments of each size.
      ...FRAGMENT_SIZES.map((fragment, index) => echoCase(`9.${section + 3}.${index + 1}`, `${kind} message of 1 MiB in ${size(fragment)} fragments`, [{ frames: fragmentsOf(filled(MIB, asBinary), fragment) }], [filled(MIB, asBinary)])),
      // 9.5/9.6: one 1 MiB frame written in small TCP pieces.
      ...CHOPS.map((chop, index) => echoCase(`9.${section + 5}.${index + 1}`, `${kind} message of 1 MiB written in ${chop}-byte TCP chunks`, [{ frames: [frameOf(filled(MIB, asBinary))], chop }], [filled(MIB, asBinary)])),
    ];
  });
}

function many(): AutobahnCase[] {
  return [false, true].flatMap((asBinary, section) => {
    const kind = asBinary ? "binary" : "text";
    return SMALL.flatMap((bytes, index) => {
      const messages: ExpectedMessage[] = Array.from({ length: 1000 }, (_, count) => ({ binary: asBinary, data: Buffer.alloc(bytes, count % 251) }));
      // Valid UTF-8 for text: ASCII bytes only.
      if (!asBinary) for (const message of messages) message.data.fill(0x41 + (message.data[0] ?? 0) % 26);
      const roundTrips: Step[] = messages.flatMap((message, count) => [{ frames: [frameOf(message)] }, { waitMessages: count + 1 }]);
      return [
        echoCase(`9.${section + 7}.${index + 1}`, `1000 ${kind} messages of ${size(bytes)}, each awaiting its echo`, roundTrips, messages),
        echoCase(`9.${section + 9}.${index + 1}`, `1000 ${kind} messages of ${size(bytes)} back to back in one write`, [{ frames: messages.map(frameOf) }], messages),
      ];
    });
  });
}

function autoFragmented(): AutobahnCase[] {
  const message = filled(64 * KIB);
  return [
    echoCase("10.1.1", "64 KiB text message in 1300-byte frames", [{ frames: fragmentsOf(message, 1300) }], [message]),
    echoCase("10.1.2", "64 KiB binary message in 1300-byte frames, one frame per write", fragmentsOf(filled(64 * KIB, true), 1300).map((frame) => ({ frames: [frame] })), [filled(64 * KIB, true)]),
  ];
}

export const limitCases: AutobahnCase[] = [...large(), ...many(), ...autoFragmented()];
