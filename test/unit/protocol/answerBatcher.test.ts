import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AnswerBatcher, flushOnImmediate, type AnswerSink } from '../../../src/protocol/answerBatcher';
import { TextFrameWriter } from '../../../src/protocol/textFrames';
import { decodeClientFrames } from './wsFrames';

/** Records each write, as the texts of the frames it holds. */
class RecordingSink implements AnswerSink {
  writes: string[][] = [];
  write(frames: Buffer): void {
    this.writes.push(decodeClientFrames(frames).map((frame) => frame.text));
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AnswerBatcher', () => {
  test('1000 answers produced in one tick leave in one write, each its own frame, in order', async () => {
    const sink = new RecordingSink();
    const batcher = new AnswerBatcher(sink);
    const answers = Array.from({ length: 1000 }, (_, i) => `{"result":"ok","tid":${i}}`);
    for (const answer of answers) batcher.send(answer);
    assert.equal(sink.writes.length, 0, 'nothing is written before the tick ends');
    await tick();
    assert.equal(sink.writes.length, 1);
    assert.deepEqual(sink.writes[0], answers);
  });

  test('answers of different ticks go out in different writes', async () => {
    const sink = new RecordingSink();
    const batcher = new AnswerBatcher(sink);
    batcher.send('a');
    batcher.send('b');
    await tick();
    batcher.send('c');
    await tick();
    assert.deepEqual(sink.writes, [['a', 'b'], ['c']]);
  });

  test('flush() writes at once and a later scheduled flush does nothing more', async () => {
    const sink = new RecordingSink();
    const batcher = new AnswerBatcher(sink);
    batcher.send('a');
    batcher.flush();
    assert.deepEqual(sink.writes, [['a']]);
    await tick();
    assert.deepEqual(sink.writes, [['a']]);
  });

  test('the default flushes on process.nextTick: before timers or further socket reads', async () => {
    const sink = new RecordingSink();
    const batcher = new AnswerBatcher(sink);
    for (let i = 0; i < 10; i++) batcher.send(String(i));
    await new Promise<void>((resolve) => process.nextTick(resolve));
    assert.equal(sink.writes.length, 1);
    assert.equal(sink.writes[0].length, 10);
  });

  test('the setImmediate scheduler also batches one synchronous burst', async () => {
    const sink = new RecordingSink();
    const batcher = new AnswerBatcher(sink, flushOnImmediate);
    for (let i = 0; i < 10; i++) batcher.send(String(i));
    await tick();
    assert.equal(sink.writes.length, 1);
    assert.equal(sink.writes[0].length, 10);
  });

  test('unbatched mode writes every answer by itself', () => {
    const sink = new RecordingSink();
    const batcher = new AnswerBatcher(sink, 'unbatched');
    for (let i = 0; i < 3; i++) batcher.send(String(i));
    assert.deepEqual(sink.writes, [['0'], ['1'], ['2']]);
  });
});

describe('text frames', () => {
  test('each answer is a final, masked text frame that reads back exactly, at every length encoding', () => {
    const writer = new TextFrameWriter(true, 64);
    // 125 bytes fit the 7-bit length, 126 and 65,535 need 16 bits, 65,536 needs 64 bits.
    const texts = ['{"result":"ok","tid":1}', 'é'.repeat(62) + 'x', 'y'.repeat(126), 'z'.repeat(65_535), 'w'.repeat(65_536), '', '{"tid":"名前 🎧"}'];
    for (const text of texts) writer.appendText(text);
    const frames = decodeClientFrames(writer.take());
    assert.deepEqual(
      frames.map((f) => f.text),
      texts,
    );
    for (const frame of frames) {
      assert.equal(frame.fin, true);
      assert.equal(frame.opcode, 1, 'text');
      assert.equal(frame.masked, true, 'a client must mask every frame');
    }
    assert.equal(writer.length, 0, 'take() starts over');
  });

  test('frames get different random masking keys, even past the pool of keys', () => {
    const writer = new TextFrameWriter(true);
    for (let i = 0; i < 5000; i++) writer.appendText(`{"result":"ok","tid":${i}}`);
    const keys = new Set(decodeClientFrames(writer.take()).map((f) => f.mask.toString('hex')));
    // 5,000 keys drawn from 2^32: a repeat is possible but would be very unlikely.
    assert.ok(keys.size >= 4990, `${keys.size} distinct keys for 5,000 frames`);
  });

  test("a server's frames are not masked and read back exactly", () => {
    const writer = new TextFrameWriter(false, 64);
    const texts = ['{"class":"core","cmd":"event","data":{},"tid":1}', 'ü'.repeat(100), 'v'.repeat(70_000)];
    for (const text of texts) writer.appendText(text);
    const frames = decodeClientFrames(writer.take());
    assert.deepEqual(
      frames.map((f) => [f.masked, f.text]),
      texts.map((text) => [false, text]),
    );
  });

  test('what take() returned stays intact when more frames are written', () => {
    const writer = new TextFrameWriter(true);
    writer.appendText('first');
    const first = writer.take();
    writer.appendText('second, longer than the first');
    assert.deepEqual(decodeClientFrames(first).map((f) => f.text), ['first']);
  });
});
