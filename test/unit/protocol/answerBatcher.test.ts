import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AnswerBatcher, flushOnImmediate, type AnswerSink } from '../../../src/protocol/answerBatcher';

/** Records what reaches the "wire": a write happens on uncork, or on send when not corked. */
class CountingSink implements AnswerSink {
  corks = 0;
  uncorks = 0;
  sends: string[] = [];
  /** Frames per physical write, as the kernel would see them. */
  writes: string[][] = [];
  private depth = 0;
  private buffered: string[] = [];
  send(text: string): void {
    this.sends.push(text);
    if (this.depth > 0) this.buffered.push(text);
    else this.writes.push([text]);
  }
  cork(): void {
    this.corks++;
    this.depth++;
  }
  uncork(): void {
    this.uncorks++;
    this.depth--;
    if (this.depth === 0 && this.buffered.length > 0) {
      this.writes.push(this.buffered);
      this.buffered = [];
    }
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AnswerBatcher', () => {
  test('1000 answers produced in one tick leave in one write, each its own frame, in order', async () => {
    const sink = new CountingSink();
    const batcher = new AnswerBatcher(sink);
    const answers = Array.from({ length: 1000 }, (_, i) => `{"result":"ok","tid":${i}}`);
    for (const answer of answers) batcher.send(answer);
    assert.equal(sink.writes.length, 0, 'nothing is written before the tick ends');
    await tick();
    assert.equal(sink.corks, 1);
    assert.equal(sink.uncorks, 1);
    assert.equal(sink.writes.length, 1);
    assert.deepEqual(sink.writes[0], answers);
  });

  test('answers of different ticks go out in different writes', async () => {
    const sink = new CountingSink();
    const batcher = new AnswerBatcher(sink);
    batcher.send('a');
    batcher.send('b');
    await tick();
    batcher.send('c');
    await tick();
    assert.deepEqual(sink.writes, [['a', 'b'], ['c']]);
    assert.equal(sink.corks, sink.uncorks);
  });

  test('flush() writes at once and a later scheduled flush does nothing more', async () => {
    const sink = new CountingSink();
    const batcher = new AnswerBatcher(sink);
    batcher.send('a');
    batcher.flush();
    assert.deepEqual(sink.writes, [['a']]);
    await tick();
    assert.equal(sink.uncorks, 1);
  });

  test('the default flushes on process.nextTick: before timers or further socket reads', async () => {
    const sink = new CountingSink();
    const batcher = new AnswerBatcher(sink);
    for (let i = 0; i < 10; i++) batcher.send(String(i));
    await new Promise<void>((resolve) => process.nextTick(resolve));
    assert.equal(sink.writes.length, 1);
    assert.equal(sink.writes[0].length, 10);
  });

  test('the setImmediate scheduler also batches one synchronous burst', async () => {
    const sink = new CountingSink();
    const batcher = new AnswerBatcher(sink, flushOnImmediate);
    for (let i = 0; i < 10; i++) batcher.send(String(i));
    await tick();
    assert.equal(sink.writes.length, 1);
    assert.equal(sink.writes[0].length, 10);
  });

  test('unbatched mode writes every answer by itself', () => {
    const sink = new CountingSink();
    const batcher = new AnswerBatcher(sink, 'unbatched');
    for (let i = 0; i < 3; i++) batcher.send(String(i));
    assert.equal(sink.corks, 0);
    assert.deepEqual(sink.writes, [['0'], ['1'], ['2']]);
  });
});
