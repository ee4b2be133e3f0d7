#!/usr/bin/env node
// In the workspace, runs the TypeScript sources (no build step); the published package (no src/)
// runs its compiled dist/. Either way tsx is registered first: the app (TARGET) may be TypeScript,
// and with --no-reload it is imported in this process.
import { existsSync } from "node:fs";
import { register } from "tsx/esm/api";

register();
const source = new URL("../src/cli.ts", import.meta.url);
await import(existsSync(source) ? source.href : "../dist/cli.js");
