// Reconnect delays: exponential backoff with jitter, so that many inspectors reconnecting to
// a restarted server do not all knock at the same millisecond.

export interface BackoffOptions {
  /** Delay before the first retry. */
  initialDelayMs?: number;
  /** Upper bound for any delay (before jitter). */
  maxDelayMs?: number;
  /** Each further retry waits `factor` times longer. */
  factor?: number;
  /** Random spread as a fraction of the delay: 0.2 means ±20 %. */
  jitter?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.2,
};

export function resolveBackoff(options: BackoffOptions = {}): Required<BackoffOptions> {
  const merged = { ...DEFAULT_BACKOFF, ...stripUndefined(options) };
  return {
    initialDelayMs: Math.max(0, merged.initialDelayMs),
    maxDelayMs: Math.max(0, merged.maxDelayMs),
    factor: Math.max(1, merged.factor),
    jitter: Math.min(1, Math.max(0, merged.jitter)),
  };
}

/**
 * The delay before retry number `attempt` (1 for the first retry after a drop).
 * `random` returns a number in [0, 1), like Math.random (injectable for tests).
 */
export function backoffDelay(attempt: number, options: Required<BackoffOptions>, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * Math.pow(options.factor, exponent));
  const spread = base * options.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
