import { expect } from "vitest";
import { getJson } from "../client/httpRequest.js";
import type { Check } from "./check.js";

/** Lifespan (SPEC.md, "Lifespan"): checked on servers that declare `capabilities.lifespan`. */
export const lifespanChecks: Check[] = [
  {
    id: "lifespan-state",
    title: "runs the app's lifespan start-up in each serving process and passes its state as tsgi.state",
    requires: "lifespan",
    async run(context) {
      // Several requests, so that with several worker processes more than one is likely asked.
      for (let i = 0; i < 8; i++) {
        const report = await getJson<{ state: boolean; started: boolean; pid: number }>(context.url, "/lifespan");
        expect(report, `process ${report.pid}`).toMatchObject({ state: true, started: true });
      }
    },
  },
];
