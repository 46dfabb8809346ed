// Belt and braces for the password: code never puts it in a message on purpose, but text
// that comes from the server (error descriptions, excerpts of bad frames, close reasons) could
// echo it back. Everything the client logs, throws or shows as a state reason goes through
// a scrubber that masks it.
import type { Logger } from '../shared/logger';

export type Scrub = (text: string) => string;

export const MASK = '***';

export function secretScrubber(secrets: Array<string | undefined>): Scrub {
  const present = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  if (present.length === 0) return (text) => text;
  return (text) => {
    let result = text;
    for (const secret of present) {
      if (result.includes(secret)) result = result.split(secret).join(MASK);
    }
    return result;
  };
}

/** A logger that scrubs every message and argument before passing it on. */
export function scrubbingLogger(logger: Logger, scrub: Scrub): Logger {
  const args = (list: unknown[]) => list.map((a) => (a instanceof Error ? scrub(a.message) : typeof a === 'string' ? scrub(a) : a));
  return {
    trace: (m, ...a) => logger.trace(scrub(m), ...args(a)),
    debug: (m, ...a) => logger.debug(scrub(m), ...args(a)),
    info: (m, ...a) => logger.info(scrub(m), ...args(a)),
    warn: (m, ...a) => logger.warn(scrub(m), ...args(a)),
    error: (m, ...a) => logger.error(typeof m === 'string' ? scrub(m) : scrub(m.message), ...args(a)),
  };
}
