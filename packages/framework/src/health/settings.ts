/** HEALTH_CHECKS: the load balancer / orchestrator probe endpoints (off unless set). */
export interface HealthChecksSetting {
  /** Liveness path ("/healthz"): 200 whenever the worker answers at all; null = off. */
  LIVENESS_PATH?: string | null;
  /** Readiness path ("/readyz"): 200 once start-up is done and the databases and caches answer, else 503; null = off. */
  READINESS_PATH?: string | null;
  /** DATABASES aliases the readiness check queries (`SELECT 1`); default: every configured one. */
  DATABASES?: string[];
  /** CACHES aliases the readiness check reaches (Redis `PING`); default: every configured one. */
  CACHES?: string[];
  /** How long each check may take before it counts as failed, in ms (2000). */
  TIMEOUT_MS?: number;
}

declare module "../settings/types.js" {
  interface Settings {
    /**
     * Health endpoints for load balancers and orchestrators, answered before ALLOWED_HOSTS and
     * the middleware (probes come with an IP as Host). Off by default.
     */
    HEALTH_CHECKS?: HealthChecksSetting;
  }
}
