import type { Started } from "./processes.js";

/** The scenarios a server can take part in. */
export type ScenarioName = "hello" | "stream64k" | "post1m" | "hello-close" | "hello-pipelined" | "framework" | "framework-json" | "framework-db" | "websocket";

/** A server the suite can start on a port. */
export interface ServerSpec {
  name: string;
  /** Processes serving requests, for the RSS-per-worker figure. */
  workers: number;
  /** True for the baseline that ratios are computed against. */
  baseline?: boolean;
  scenarios: ScenarioName[];
  /** Path of each scenario on this server, when it differs from the default. */
  paths?: Partial<Record<ScenarioName, string>>;
  /** Scenarios whose route answers like another scenario's (the framework-free page is the hello route). */
  answersLike?: Partial<Record<ScenarioName, ScenarioName>>;
  /** True when it runs the packed-and-installed packages in bench/.prod (run.ts prepares them first). */
  installed?: boolean;
  /** Set on the rows run by another Node (`--node 24`): their ratios are to that Node's node:http cluster. */
  runtime?: string;
  available(): boolean;
  start(port: number): Started;
}
