#!/usr/bin/env node
// In the workspace (or a checkout used with --link), runs the TypeScript sources through tsx
// (no build step); the published package (no src/) runs its compiled dist/, without tsx.
import { existsSync } from "node:fs";

const source = new URL("../src/cli.ts", import.meta.url);
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else {
  await import("../dist/cli.js");
}
