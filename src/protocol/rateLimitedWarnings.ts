// A hostile or broken server can send thousands of bad frames a second; logging each one
// would flood the output channel and slow the client down. This logs the first few of each
// time window, then one summary line for the rest.
import type { Logger } from '../shared/logger';

export interface RateLimitOptions {
  /** Warnings logged in full per window. */
  burst?: number;
  windowMs?: number;
}

export class RateLimitedWarnings {
  private readonly burst: number;
  private readonly windowMs: number;
  private loggedInWindow = 0;
  private suppressed = 0;
  private lastSuppressed = '';
  private windowTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    /** Plural noun for the summary line, e.g. "invalid frames". */
    private readonly what: string,
    options: RateLimitOptions = {},
  ) {
    this.burst = options.burst ?? 5;
    this.windowMs = options.windowMs ?? 5000;
  }

  warn(message: string): void {
    if (this.windowTimer === undefined) this.startWindow();
    if (this.loggedInWindow < this.burst) {
      this.loggedInWindow++;
      this.logger.warn(message);
      return;
    }
    this.suppressed++;
    this.lastSuppressed = message;
  }

  /** Logs the pending summary, if any, and stops the timer. */
  dispose(): void {
    this.endWindow();
    if (this.windowTimer !== undefined) clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
  }

  private startWindow(): void {
    this.loggedInWindow = 0;
    this.windowTimer = setTimeout(() => {
      this.windowTimer = undefined;
      this.endWindow();
    }, this.windowMs);
    // A pending summary line must not keep a command-line process alive.
    this.windowTimer.unref();
  }

  private endWindow(): void {
    if (this.suppressed > 0) {
      const seconds = Math.round(this.windowMs / 1000);
      this.logger.warn(`${this.suppressed} more ${this.what} in the last ${seconds} s (not logged one by one; last: ${this.lastSuppressed})`);
    }
    this.suppressed = 0;
    this.lastSuppressed = '';
    this.loggedInWindow = 0;
  }
}
