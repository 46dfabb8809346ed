// #13 cases 2 and 6 in the editor's live source: an event nested 100,000 levels deep reaches
// the store (cut, flagged) and the details pane can show it; an invalid event is kept as a
// marker with its reason and frame, which Save Trace writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LiveSource } from '../../../src/inspector/liveSource';
import { MemoryLogger } from '../../../src/shared/logger';
import { CUT_FLAG } from '../../../src/shared/jsonDepth';
import { eventDetails, eventExcerpt } from '../../../src/timeline/eventDetails';
import { saveTrace } from '../../../src/trace/saveTrace';
import { FakeServer, waitUntil } from '../protocol/fakeServer';

test('live: a 100,000-deep event is stored and shown; an invalid one is kept as a marker and saved', { timeout: 20_000 }, async () => {
  let sent = false;
  const srv = await FakeServer.start({
    reply: (frame, peer) => {
      if (frame.cmd === 'subscribe' && !sent) {
        sent = true;
        setImmediate(() => {
          peer.sendRaw(`{"class":"core","cmd":"event","data":{"class":"media","subclass":"session","type":"info","obj_id":"s1","body":{"deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}},"tid":501}`);
          peer.sendRaw('{"class":"core","cmd":"event","data":{"class":"media","subclass":"session","type":"stop","obj_id":12},"tid":502}');
        });
      }
      return undefined;
    },
  });
  const logger = new MemoryLogger();
  const source = new LiveSource({ id: 'live', name: 'live', logger, client: { url: srv.url, user: 'admin', password: 'admin', reconnect: false } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-live-hostile-'));
  try {
    await source.connect();
    await waitUntil(() => source.store.size === 1 && source.store.markers().some((m) => m.kind === 'invalid'), 'the deep event and the invalid one');
    const seq = source.store.lastSeq;
    assert.match(String((source.store.getEvent(seq)!.data as Record<string, unknown>)[CUT_FLAG]), /nested deeper than 100 levels/);
    assert.match(eventDetails(source.store, seq)!.json, /"info"/, 'the details pane has its JSON');
    assert.ok(eventExcerpt(source.store, seq), 'the tree row has its excerpt');
    const invalid = source.store.markers().find((m) => m.kind === 'invalid')!;
    assert.equal(invalid.reason, 'invalid event data: obj_id: Invalid input: expected string, received number');
    assert.ok(invalid.frame?.includes('"obj_id":12'));
    assert.ok(!logger.entries.some((e) => /listener failed|Maximum call stack/.test(e.message)), 'no listener threw');

    const file = path.join(dir, 'saved.nkmtrace');
    await saveTrace(source.store, file);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.filter((l) => l.marker === 'invalid').map((l) => l.reason), [invalid.reason]);
  } finally {
    await source.dispose();
    await srv.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
