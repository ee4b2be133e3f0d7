/** The app's lifespan start-up threw, rejected or overran its timeout: the process must not serve (a boot failure). */
export class LifespanStartupError extends Error {
  override readonly name = "LifespanStartupError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The app's lifespan shutdown threw, rejected or overran its timeout; the process still exits. */
export class LifespanShutdownError extends Error {
  override readonly name = "LifespanShutdownError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
