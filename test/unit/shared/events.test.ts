import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter, nextEvent, setUnexpectedErrorHandler, DisposableStore, type Disposable } from '../../../src/shared/events';

test('a throwing listener is reported and does not stop the others', () => {
  const reported: unknown[] = [];
  setUnexpectedErrorHandler((e) => reported.push(e));
  const emitter = new Emitter<number>();
  const seen: number[] = [];
  emitter.event(() => {
    throw new Error('boom');
  });
  emitter.event((n) => seen.push(n));
  emitter.fire(1);
  assert.deepEqual(seen, [1]);
  assert.equal((reported[0] as Error).message, 'boom');
});

test('disposing a subscription stops delivery; disposables are collected', () => {
  const emitter = new Emitter<string>();
  const store = new DisposableStore();
  const seen: string[] = [];
  const bucket: { dispose(): void }[] = [];
  emitter.event((s) => seen.push(s), undefined, bucket);
  store.add(bucket[0]);
  emitter.fire('a');
  store.dispose();
  emitter.fire('b');
  assert.deepEqual(seen, ['a']);
  assert.equal(emitter.hasListeners, false);
});

test('nextEvent resolves with the first matching value', async () => {
  const emitter = new Emitter<number>();
  const next = nextEvent(emitter.event, (n) => n > 2);
  [1, 2, 3, 4].forEach((n) => emitter.fire(n));
  assert.equal(await next, 3);
});

test('listeners added or removed while firing take effect from the next fire', () => {
  // fire() walks a cached snapshot instead of copying the listener array on every call.
  const emitter = new Emitter<number>();
  const calls: string[] = [];
  let late: Disposable | undefined;
  const b = emitter.event((n) => calls.push(`b${n}`));
  emitter.event((n) => {
    calls.push(`a${n}`);
    if (n === 1) {
      b.dispose();
      late = emitter.event((m) => calls.push(`late${m}`));
    }
  });
  emitter.fire(1);
  emitter.fire(2);
  late?.dispose();
  emitter.fire(3);
  assert.deepEqual(calls, ['b1', 'a1', 'a2', 'late2', 'a3']);
});
