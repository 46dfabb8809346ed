// A server sending garbage between valid events: every valid event must arrive exactly once,
// every bad frame must be counted and reported, and the connection must stay up.
// The tests share one connection (it must survive them all), so each asserts what changed
// since it began (`mark()`), never a running total: any one of them runs alone by name.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NkServiceClient, type InvalidFrameInfo, type ReceivedEvent } from '../../../src/protocol/client';
import { MemoryLogger } from '../../../src/shared/logger';
import { FakeServer, sampleEvent, waitUntil } from './fakeServer';

const MAX_FRAME_BYTES = 10_000;

let srv: FakeServer;
let client: NkServiceClient;
let logger: MemoryLogger;
const events: ReceivedEvent[] = [];
const invalidFrames: InvalidFrameInfo[] = [];
const invalidEvents: InvalidFrameInfo[] = [];
const disconnects: string[] = [];
let eventNumber = 0;

/** Sends a valid event and returns its obj_id; the suite checks all of them arrived once. */
const sentIds: string[] = [];
function sendValid(): string {
  const data = sampleEvent(++eventNumber);
  sentIds.push(data.obj_id);
  srv.peer.sendEvent(data);
  return data.obj_id;
}

/** Waits for the event with this obj_id (not for a total: one test's loss must not stall the next). */
const arrived = (objId: string, what: string) => waitUntil(() => events.some((e) => e.data.obj_id === objId), what);

/** The counts a test compares against when it ends. */
function mark(): { invalidFrames: number; invalidEvents: number; reports: number; eventReports: number } {
  return { invalidFrames: client.stats.invalidFrames, invalidEvents: client.stats.invalidEvents, reports: invalidFrames.length, eventReports: invalidEvents.length };
}

/** Sends `bad` between two valid events and waits until the second one arrived. */
async function between(bad: () => void): Promise<void> {
  sendValid();
  bad();
  await arrived(sendValid(), 'the valid event after the bad frame');
}

before(async () => {
  srv = await FakeServer.start();
  logger = new MemoryLogger();
  client = new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin', logger, maxFrameBytes: MAX_FRAME_BYTES });
  client.onEvent((e) => events.push(e));
  client.onInvalidFrame((i) => invalidFrames.push(i));
  client.onInvalidEvent((i) => invalidEvents.push(i));
  client.onDidDisconnect((d) => disconnects.push(d.reason));
  await client.connect();
});

after(async () => {
  await client.disconnect();
  client.dispose();
  await srv.close();
});

describe('NkServiceClient against hostile frames', () => {
  test('a frame that is not JSON is reported with its reason and an excerpt', async () => {
    const before = mark();
    await between(() => srv.peer.sendRaw('hello {not json'));
    const last = invalidFrames[invalidFrames.length - 1];
    assert.match(last.reason, /^not JSON/);
    assert.equal(last.excerpt, 'hello {not json');
    assert.equal(client.stats.invalidFrames - before.invalidFrames, 1);
    assert.match(logger.text('warn'), /invalid frame ignored: not JSON .*: hello \{not json/);
  });

  test('a JSON array, a JSON string and a frame without tid are invalid frames', async () => {
    const before = mark();
    await between(() => {
      srv.peer.sendRaw(JSON.stringify([{ class: 'core', cmd: 'event', data: sampleEvent(0), tid: 1 }]));
      srv.peer.sendRaw('"just a string"');
      srv.peer.sendRaw(JSON.stringify({ class: 'core', cmd: 'event', data: sampleEvent(0) }));
    });
    const reasons = invalidFrames.slice(before.reports).map((i) => i.reason);
    assert.equal(reasons.length, 3);
    assert.match(reasons[0], /not a JSON object \(an array\)/);
    assert.match(reasons[1], /not a JSON object \(string\)/);
    assert.match(reasons[2], /bad request: tid/);
    assert.equal(client.stats.invalidFrames - before.invalidFrames, 3);
  });

  test('a frame over maxFrameBytes is refused without parsing, its tid answered, and the connection stays', async () => {
    const huge = JSON.stringify({ class: 'core', cmd: 'event', data: { ...sampleEvent(0), body: { sdp: 'x'.repeat(MAX_FRAME_BYTES * 2) } }, tid: 99 });
    await between(() => srv.peer.sendRaw(huge));
    const last = invalidFrames[invalidFrames.length - 1];
    assert.equal(last.reason, `frame of ${huge.length} bytes is over the ${MAX_FRAME_BYTES}-byte limit`);
    assert.ok(last.excerpt.length < 300, 'the excerpt is short');
    // Read from the frame's end only (oversizeFrame.ts; clientOversizeFrames.test.ts has the rest).
    await waitUntil(() => srv.peer.answersTo(99).length === 1, 'the error answer to the oversize request');
    assert.equal(srv.peer.answersTo(99)[0].result, 'error');
  });

  test('a frame of exactly maxFrameBytes is delivered; one byte more is refused', async () => {
    const before = mark();
    /** An event frame padded to `bytes` bytes (UTF-8: the limit counts bytes, not characters). */
    const frameOf = (bytes: number, objId: string, tid: number): string => {
      const frame = (pad: string) => JSON.stringify({ class: 'core', cmd: 'event', data: { ...sampleEvent(0), obj_id: objId, body: { pad } }, tid });
      const pad = 'é'.repeat(Math.floor((bytes - Buffer.byteLength(frame(''))) / 2));
      const text = frame(Buffer.byteLength(frame(pad)) < bytes ? `${pad}x` : pad);
      assert.equal(Buffer.byteLength(text), bytes);
      return text;
    };
    await between(() => {
      sentIds.push('at-the-limit');
      srv.peer.sendRaw(frameOf(MAX_FRAME_BYTES, 'at-the-limit', 501));
      srv.peer.sendRaw(frameOf(MAX_FRAME_BYTES + 1, 'over-the-limit', 502));
    });
    assert.ok(events.some((e) => e.data.obj_id === 'at-the-limit'), 'the frame at the limit is delivered');
    assert.ok(!events.some((e) => e.data.obj_id === 'over-the-limit'), 'the frame over it is not');
    await waitUntil(() => srv.peer.answersTo(501).length === 1 && srv.peer.answersTo(502).length === 1, 'the answers to both frames');
    assert.equal(srv.peer.answersTo(501)[0].result, 'ok');
    assert.equal(srv.peer.answersTo(502)[0].result, 'error');
    assert.equal(client.stats.invalidFrames - before.invalidFrames, 1);
    assert.equal(invalidFrames[before.reports].reason, `frame of ${MAX_FRAME_BYTES + 1} bytes is over the ${MAX_FRAME_BYTES}-byte limit`);
  });

  test('a binary frame is refused', async () => {
    await between(() => srv.peer.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef]), true));
    const last = invalidFrames[invalidFrames.length - 1];
    assert.equal(last.reason, 'binary frame of 4 bytes (NkSERVICE sends JSON text)');
    assert.equal(last.excerpt, '<binary de ad be ef>');
  });

  test('an event with bytes that are not UTF-8 is kept, with U+FFFD in their place, and the connection stays', async () => {
    // A Latin-1 "é" (0xE9) in a user name: ws would close the connection with 1007 for it.
    const frame = JSON.stringify({ class: 'core', cmd: 'event', data: { ...sampleEvent(0), obj_id: 'latin1-user', body: { user: 'Ren#' } }, tid: 77 });
    const bytes = Buffer.from(frame, 'latin1');
    bytes[bytes.indexOf('Ren#') + 3] = 0xe9;
    await between(() => {
      sentIds.push('latin1-user');
      srv.peer.sendRaw(bytes);
    });
    const kept = events.find((e) => e.data.obj_id === 'latin1-user');
    assert.deepEqual(kept?.data.body, { user: 'Ren\ufffd' });
    await waitUntil(() => srv.peer.answersTo(77).length === 1, 'the answer to it');
    assert.deepEqual(srv.peer.answersTo(77), [{ result: 'ok', tid: 77 }]);
    assert.deepEqual(disconnects, []);
    assert.match(logger.text('warn'), /frame with bytes that are not UTF-8 \(shown as U\+FFFD\): .*latin1-user/);
  });

  test('an event without class is answered ok, counted as invalid and not delivered', async () => {
    const before = mark();
    let tid = 0;
    await between(() => {
      tid = srv.peer.sendEvent({ subclass: 'session', type: 'stop', obj_id: 'x' });
    });
    await waitUntil(() => srv.peer.answersTo(tid).length === 1, 'the answer to the invalid event');
    assert.deepEqual(srv.peer.answersTo(tid), [{ result: 'ok', tid }]);
    assert.equal(client.stats.invalidEvents - before.invalidEvents, 1);
    assert.match(invalidEvents[before.eventReports].reason, /invalid event data: class/);
    assert.ok(!events.some((e) => e.data.obj_id === 'x'), 'not delivered');
  });

  test('an event whose body is not an object is answered ok and refused with the reason', async () => {
    const before = mark();
    let tid = 0;
    await between(() => {
      tid = srv.peer.sendEvent({ class: 'media', subclass: 'session', type: 'stop', obj_id: 'y', body: ['not', 'an', 'object'] });
    });
    await waitUntil(() => srv.peer.answersTo(tid).length === 1, 'the answer to the event with a bad body');
    assert.deepEqual(srv.peer.answersTo(tid), [{ result: 'ok', tid }]);
    assert.equal(client.stats.invalidEvents - before.invalidEvents, 1);
    assert.equal(invalidEvents[before.eventReports].reason, 'invalid event data: body: expected a JSON object');
  });

  test('a malformed request that has a tid still gets an (error) answer', async () => {
    await between(() => srv.peer.sendRaw(JSON.stringify({ cmd: 'event', tid: 4242 })));
    await waitUntil(() => srv.peer.answersTo(4242).length === 1, 'the answer to the malformed request');
    assert.equal(srv.peer.answersTo(4242)[0].result, 'error');
  });

  test('unknown class, subclass, type and fields pass through untouched', async () => {
    const data = {
      class: 'media2',
      subclass: 'conference',
      type: 'brand_new_type',
      obj_id: 'not-a-uuid',
      body: { nested: { deep: [1, 2, { x: null }] }, code: 0 },
      extra_top_level: 'kept',
    };
    const tid = srv.peer.sendEvent(data);
    sentIds.push(data.obj_id);
    await arrived(data.obj_id, 'the unknown event');
    await waitUntil(() => srv.peer.answersTo(tid).length > 0, 'its answer');
    const last = events.find((e) => e.data.obj_id === data.obj_id)!;
    assert.deepEqual(last.data, data);
    assert.deepEqual(JSON.parse(last.raw).data, data);
    assert.deepEqual(srv.peer.answersTo(tid), [{ result: 'ok', tid }]);
  });

  test('a flood of garbage is rate-limited in the log, yet every valid event still arrives', async () => {
    const before = mark();
    const warningsBefore = logger.entries.filter((e) => e.level === 'warn').length;
    const valid: string[] = [];
    srv.peer.burst(() => {
      for (let i = 0; i < 200; i++) {
        srv.peer.sendRaw(`garbage ${i}`);
        if (i % 20 === 0) valid.push(sendValid());
      }
    });
    await waitUntil(() => valid.every((id) => events.some((e) => e.data.obj_id === id)), 'the valid events of the flood');
    await waitUntil(() => client.stats.invalidFrames - before.invalidFrames === 200, 'all garbage frames counted');
    const newWarnings = logger.entries.filter((e) => e.level === 'warn').length - warningsBefore;
    assert.ok(newWarnings <= 6, `at most a handful of warning lines for 200 bad frames (got ${newWarnings})`);
  });

  test('overall: nothing valid lost or duplicated, connection never dropped', async () => {
    // Traffic of its own, so that alone it checks something; after the others, all of theirs too.
    await between(() => srv.peer.sendRaw('garbage of the last test'));
    await waitUntil(() => srv.peer.sentTids.every((tid) => srv.peer.answersTo(tid).length > 0), 'answers to every request sent');
    assert.deepEqual(
      events.map((e) => e.data.obj_id),
      sentIds,
    );
    for (const [tid, answers] of srv.peer.answers) assert.equal(answers.length, 1, `tid ${String(tid)} answered once`);
    assert.deepEqual(disconnects, []);
    assert.equal(srv.peers.length, 1);
    assert.equal(client.stats.events, sentIds.length);
  });
});
