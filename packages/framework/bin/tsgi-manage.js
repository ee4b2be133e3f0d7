#!/usr/bin/env node
// In the workspace, runs the TypeScript sources (no build step); the published package (no src/)
// runs its compiled dist/. Either way tsx is registered first: the project's settings module
// (manage.ts, settings.ts), its command modules and urlconfs are TypeScript.
import { existsSync } from "node:fs";
import { register } from "tsx/esm/api";

register();
const source = new URL("../src/cli.ts", import.meta.url);
await import(existsSync(source) ? source.href : "../dist/cli.js");
