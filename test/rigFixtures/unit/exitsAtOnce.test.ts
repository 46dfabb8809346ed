// A file that ends its own process before any test can report.
import { test } from 'node:test';

test('exits at once', () => {
  process.exit(0);
});
test('vanishes', () => {});
