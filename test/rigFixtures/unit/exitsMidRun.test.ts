// A file that ends its own process after its first test has reported.
import { test } from 'node:test';

test('reports before the exit', () => {});
test('exits the process', async () => {
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the first report reach the runner
  process.exit(0);
});
test('never runs', () => {});
