import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimitedWarnings } from '../../../src/protocol/rateLimitedWarnings';
import { MemoryLogger } from '../../../src/shared/logger';
import { waitUntil } from './fakeServer';

describe('RateLimitedWarnings', () => {
  test('logs the first few of a flood, then one summary with the count and the last message', () => {
    const logger = new MemoryLogger();
    const warnings = new RateLimitedWarnings(logger, 'invalid frames', { burst: 3, windowMs: 60_000 });
    for (let i = 1; i <= 100; i++) warnings.warn(`bad frame ${i}`);
    assert.deepEqual(logger.entries.map((e) => e.message), ['bad frame 1', 'bad frame 2', 'bad frame 3']);
    warnings.dispose();
    assert.equal(logger.entries.length, 4);
    assert.match(logger.entries[3].message, /^97 more invalid frames in the last 60 s .*last: bad frame 100\)$/);
  });

  test('a new window logs again after the summary', async () => {
    const logger = new MemoryLogger();
    const warnings = new RateLimitedWarnings(logger, 'invalid frames', { burst: 1, windowMs: 20 });
    warnings.warn('a');
    warnings.warn('b');
    await waitUntil(() => logger.entries.length === 2, 'the summary line when the 20 ms window ends', 5000);
    warnings.warn('c');
    warnings.dispose();
    const messages = logger.entries.map((e) => e.message);
    assert.equal(messages[0], 'a');
    assert.match(messages[1], /^1 more invalid frames/);
    assert.equal(messages[2], 'c');
    assert.equal(messages.length, 3);
  });
});
