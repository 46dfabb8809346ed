import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { TraceWriter } from '../../../src/trace/writer';
import { makeHeader } from '../../../src/trace/traceFileFormat';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-writer-'));
const event = (i: number) => ({ class: 'media', subclass: 'call', type: 'ringing', obj_id: `call-${i}`, body: { n: i, text: 'ünïcode "quoted"\nline' } });

test('writes a header, events and markers as JSON lines', async () => {
  const file = path.join(tmp(), 't.nkmtrace');
  const writer = new TraceWriter(file, makeHeader({ source: { url: 'ws://h:1', user: 'u' } }));
  writer.writeMarker({ marker: 'connect', ts: 1 });
  for (let i = 1; i <= 3; i++) writer.writeEvent(i, 1000 + i, event(i), i === 2 ? 'second' : undefined);
  await writer.close();
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines[0].format, 'nkmedia-trace');
  assert.deepEqual(lines[2], { seq: 1, ts: 1001, event: event(1) });
  assert.deepEqual(lines[3], { seq: 2, ts: 1002, conn: 'second', event: event(2) });
  assert.equal(writer.events, 3);
});

test('a .gz name gives a gzip file with the same lines', async () => {
  const file = path.join(tmp(), 't.nkmtrace.gz');
  const writer = new TraceWriter(file, makeHeader({}));
  for (let i = 1; i <= 5000; i++) writer.writeEvent(i, i, event(i));
  await writer.close();
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  assert.equal(text.trimEnd().split('\n').length, 5001);
});

test('atomic writes leave the old file until close, and abort leaves nothing', async () => {
  const dir = tmp();
  const file = path.join(dir, 'a.nkmtrace');
  fs.writeFileSync(file, 'old');
  const writer = new TraceWriter(file, makeHeader({}), { atomic: true });
  writer.writeEvent(1, 1, event(1));
  await writer.drain();
  assert.equal(fs.readFileSync(file, 'utf8'), 'old');
  await writer.close();
  assert.match(fs.readFileSync(file, 'utf8'), /nkmedia-trace/);
  assert.deepEqual(fs.readdirSync(dir), ['a.nkmtrace']);

  const aborted = new TraceWriter(file, makeHeader({}), { atomic: true });
  aborted.writeEvent(1, 1, event(1));
  await aborted.abort();
  assert.match(fs.readFileSync(file, 'utf8'), /nkmedia-trace/, 'the previous file is untouched');
  assert.deepEqual(fs.readdirSync(dir), ['a.nkmtrace']);
});

test('a write error is reported by close()', async () => {
  const writer = new TraceWriter(path.join(tmp(), 'no', 'such', 'dir.nkmtrace'), makeHeader({}));
  writer.writeEvent(1, 1, event(1));
  await assert.rejects(writer.close(), /ENOENT/);
});
