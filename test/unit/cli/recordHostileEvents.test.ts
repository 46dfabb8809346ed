// #13 cases 2 and 6, end to end through the real command line: a server that sends an event
// nested 100,000 levels deep, and events that are not valid NkMEDIA events (no class, a
// numeric obj_id, an array body).
// - Before: the deep event was answered, then JSON.stringify threw in a listener; it was
//   missing from the trace, whose seq numbers had a gap. The invalid ones got `ok` and left
//   no trace at all.
// - Now: the deep event is kept, cut at 100 levels and flagged; each invalid one is an
//   `invalid` marker line with its reason and the frame; stats and every export read the file.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FakeServer } from '../protocol/fakeServer';
import { removeCliScript, runCli } from './cliProcess';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-record-hostile-'));
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  removeCliScript();
});

const DEEP = '['.repeat(100_000) + ']'.repeat(100_000);

test('record keeps a 100,000-deep event (cut, flagged) and every invalid event, in order; stats and exports read the trace', { timeout: 60_000 }, async () => {
  let sent = false;
  const tids: number[] = [];
  const server = await FakeServer.start({
    password: 'pw',
    reply: (frame, peer) => {
      if (frame.cmd !== 'subscribe' || sent) return undefined;
      sent = true;
      setImmediate(() => {
        const send = (data: string) => {
          const tid = 9000 + tids.length;
          tids.push(tid);
          peer.sendRaw(`{"class":"core","cmd":"event","data":${data},"tid":${tid}}`);
        };
        send('{"class":"media","subclass":"session","type":"start","obj_id":"s1","body":{}}');
        send(`{"class":"media","subclass":"session","type":"update","obj_id":"s1","body":{"sdp":"v=0","x":${DEEP}}}`);
        send(`{"class":"media","subclass":"session","type":"update","obj_id":"s1","body":${DEEP}}`);
        send('{"subclass":"session","type":"stop","obj_id":"s2"}');
        send('{"class":"media","subclass":"session","type":"stop","obj_id":12}');
        send('{"class":"media","subclass":"session","type":"stop","obj_id":"s1","body":{"code":0,"reason":"ok"}}');
      });
      return undefined;
    },
  });
  const file = path.join(dir, 'hostile.nkmtrace');
  try {
    const run = await runCli(['record', '--url', server.url, '--password-env', 'PW', '--out', file, '--max-events', '3'], 30_000, { env: { PW: 'pw' } });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /listener failed|RangeError|Maximum call stack/);
    const peer = server.peers[0];
    for (const tid of tids) assert.equal(peer.answers.get(tid)?.[0]?.result, 'ok', `event tid ${tid} answered ok`);

    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(1).map((l) => JSON.parse(l) as Record<string, any>);
    const events = lines.filter((l) => 'event' in l);
    assert.deepEqual(events.map((l) => l.seq), [1, 2, 3], 'no seq is missing');
    assert.deepEqual(events.map((l) => l.event.type), ['start', 'update', 'stop']);
    const deep = events[1].event;
    assert.equal(deep.body.sdp, 'v=0', 'the readable part of the body is kept');
    assert.match(deep['inspector:cut'], /nested deeper than 100 levels/);
    const invalid = lines.filter((l) => l.marker === 'invalid');
    assert.deepEqual(
      invalid.map((l) => l.reason),
      ['invalid event data: body: expected a JSON object', 'invalid event data: class: Invalid input: expected string, received undefined', 'invalid event data: obj_id: Invalid input: expected string, received number'],
    );
    assert.ok(invalid[2].frame.includes('"obj_id":12'), 'the frame as the server sent it');
    assert.ok(lines.indexOf(invalid[0]) < lines.indexOf(events[2]), 'in the order they came');

    const stats = await runCli(['stats', file], 20_000);
    assert.equal(stats.code, 0, stats.stderr);
    assert.match(stats.stdout, /^events: 3 \(markers: 1 connect, 1 disconnect, 3 invalid\)$/m);
    assert.match(stats.stdout, /invalid events the server sent \(kept in the trace, not shown as events\): 3\n[\s\S]*obj_id: Invalid input: expected string, received number/);
    assert.match(stats.stdout, /invalid lines: 0/);
    for (const format of ['csv', 'chrome-trace']) {
      const exported = await runCli(['export', file, '--format', format, '--out', path.join(dir, `out.${format}`)], 20_000);
      assert.equal(exported.code, 0, `${format}: ${exported.stderr}`);
      assert.match(exported.stdout, /3 events exported/);
    }
  } finally {
    await server.close();
  }
});
