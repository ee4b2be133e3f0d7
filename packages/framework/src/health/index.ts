export type { HealthChecksSetting } from "./settings.js";
export { runReadinessProbes, type ProbeResult } from "./probes.js";
export { healthResponse } from "./endpoint.js";
