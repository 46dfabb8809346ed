// Negative checks ("no retry comes", "the connection stays open") cannot wait for an event:
// the event is what must not happen. They poll instead, for a bound that the caller states the
// reason for (`why`: why that long is enough to see the thing if it happened), and they fail
// the moment the condition breaks, not after the whole wait.
import assert from 'node:assert/strict';

const POLL_MS = 5;

/** Resolves after `ms` if `condition()` stayed true all along; throws as soon as it turns false. */
export async function holdsFor(condition: () => boolean, ms: number, why: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    assert.ok(condition(), `broken after ${Date.now() - started} ms of the ${ms} ms in which it must hold (${why})`);
    if (Date.now() - started >= ms) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
