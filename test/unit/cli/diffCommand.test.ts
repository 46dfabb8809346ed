// `nkmedia-inspect diff A.nkmtrace:ID B.nkmtrace:ID [--json]`, run as the real command line
// on two small traces of two eras written here.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseObjectSpec } from '../../../src/cli/diffCommand';
import type { ObjectDiff } from '../../../src/trace/objectDiff';
import { makeHeader } from '../../../src/trace/traceFileFormat';
import { removeCliScript, runCli } from './cliProcess';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-diff-'));
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  removeCliScript();
});

const OSC52 = '\u001b]52;c;cm0gLXJmIH4=\u0007';
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const T0 = Date.UTC(2026, 10, 28, 3, 0, 0);
const SESSION_A = '39ce4076-391a-1260-75db-38c9862f00d9';
const SESSION_B = '7a1bc0de-4a2b-1260-75db-38c9862f00d9';

function sdp(codecs: string[], direction: string, candidates: number, video: boolean): string {
  return [
    'v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=Janus', 't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 0',
    ...codecs.map((c) => `a=rtpmap:${c}`),
    `a=${direction}`,
    ...Array.from({ length: candidates }, (_, i) => `a=candidate:${i + 1} 1 udp 2013266431 10.0.0.1 ${40000 + i} typ host`),
    ...(video ? ['m=video 9 UDP/TLS/RTP/SAVPF 96', 'a=rtpmap:96 VP8/90000', `a=${direction}`] : []),
    '',
  ].join('\r\n');
}

function writeTrace(name: string, dialect: string, events: Array<[number, Record<string, unknown>]>): string {
  const file = path.join(dir, name);
  const lines = [JSON.stringify(makeHeader({ dialect, created: new Date(T0) }))];
  events.forEach(([offset, event], i) => lines.push(JSON.stringify({ seq: i + 1, ts: T0 + offset, event: { class: 'media', subclass: 'session', ...event } })));
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** A publisher on an Aug 2016 server, and the same on an Oct 2016 one that trickles a candidate and answers later. */
const august = writeTrace('august.nkmtrace', '2016-08', [
  [0, { type: 'updated_type', obj_id: SESSION_A, body: { type: 'publish', backend: 'nkmedia_janus' } }],
  [340, { type: 'answer', obj_id: SESSION_A, body: { answer: { sdp: sdp(['111 opus/48000/2', '0 PCMU/8000'], 'sendrecv', 4, true), sdp_type: 'webrtc' } } }],
  [5_200, { type: 'stop', obj_id: SESSION_A, body: { code: 1013, reason: 'User stop' } }],
  [100, { type: 'info', obj_id: 'other-session', body: { info: 'x' } }],
]);
const october = writeTrace('october.nkmtrace', '2016-10', [
  [0, { type: 'type', obj_id: SESSION_B, body: { type: 'publish', backend: 'nkmedia_janus' } }],
  [10, { type: 'candidate', obj_id: SESSION_B, body: { sdpMid: 'audio', sdpMLineIndex: 0, candidate: 'candidate:1 1 udp 2013266431 10.0.0.2 5000 typ host' } }],
  [512, { type: 'answer', obj_id: SESSION_B, body: { answer: { sdp: sdp(['111 opus/48000/2'], 'sendonly', 1, false), sdp_type: 'webrtc', trickle_ice: true } } }],
  [4_100, { type: 'destroyed', obj_id: SESSION_B, body: { code: 100011, reason: 'User stop' } }],
  [4_200, { type: 'destroyed', obj_id: '7a1bffff-0000', body: { code: 100011, reason: 'User stop' } }],
]);

describe('nkmedia-inspect diff', () => {
  test('text: a row per step in aligned columns, + for a step only B has, body differences with the SDP summarised', { timeout: 30_000 }, async () => {
    const { code, stdout, stderr } = await runCli(['diff', `${august}:39ce`, `${october}:7a1bc`], 20_000);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    const lines = stdout.split('\n');
    assert.match(lines[0], /^A: august\.nkmtrace {2}media\/session\/39ce4076-391a-1260-75db-38c9862f00d9 {2}stopped, 3 events, from 2026-11-28T03:00:00\.000Z for 5\.200 s, code 1013 User stop \(normal\); NkMEDIA Aug 2016$/);
    assert.match(lines[1], /^B: october\.nkmtrace {2}media\/session\/7a1bc0de-.* NkMEDIA Oct 2016$/);
    assert.match(stdout, /3 in both, 0 only in A \(-\), 1 only in B \(\+\); 6 body field differences in 2 steps/);

    const header = lines.find((l) => l.includes('A type'))!;
    const rows = lines.slice(lines.indexOf(header) + 1).filter((l) => l !== '' && !l.startsWith('      '));
    assert.deepEqual(rows.map((r) => r.trim().split(/\s+/)), [
      ['updated_type', 'type', '0.000', '0.000', '0.000'],
      ['+', 'candidate', '0.010'],
      ['answer', 'answer', '0.340', '0.512', '+0.172'],
      ['stop', 'destroyed', '5.200', '4.100', '-1.100'],
    ]);
    for (const row of rows.filter((r) => r.startsWith(' '))) assert.equal(row.length, header.length, `columns out of line:\n${header}\n${row}`);
    const plus = rows[1];
    assert.equal(plus.indexOf('candidate'), header.indexOf('B type'), 'a + row has its type in the B column');
    assert.equal(plus.indexOf('0.010') + '0.010'.length, header.indexOf('B +s') + 'B +s'.length, 'and its time in the B column');

    assert.match(stdout, /\n {6}answer\.sdp:media +"audio video" {2}→ {2}"audio"\n/);
    assert.match(stdout, /\n {6}answer\.sdp:codecs +"opus\/48000\/2 PCMU\/8000 VP8\/90000" {2}→ {2}"opus\/48000\/2"\n/);
    assert.match(stdout, /\n {6}answer\.sdp:candidates +4 {2}→ {2}1\n/);
    assert.match(stdout, /\n {6}answer\.sdp:direction +"sendrecv" {2}→ {2}"sendonly"\n/);
    assert.match(stdout, /\n {6}answer\.trickle_ice +\(absent\) {2}→ {2}true\n/);
    assert.match(stdout, /\n {6}code +1013 {2}→ {2}100011\n/);
    assert.doesNotMatch(stdout, /a=rtpmap|a=candidate/, 'no raw SDP');
  });

  test('--json: the documented structure, with the same facts', { timeout: 30_000 }, async () => {
    const { code, stdout, stderr } = await runCli(['diff', `${august}:${SESSION_A}`, `${october}:media/session/${SESSION_B}`, '--json'], 20_000);
    assert.equal(code, 0, stderr);
    const diff = JSON.parse(stdout) as ObjectDiff;
    assert.deepEqual(Object.keys(diff), ['a', 'b', 'alignment', 'counts', 'steps']);
    assert.deepEqual(diff.a, {
      file: 'august.nkmtrace', key: `media/session/${SESSION_A}`, objId: SESSION_A, kind: 'session', state: 'stopped',
      dialect: { id: '2016-08', label: 'NkMEDIA Aug 2016' }, events: 3, durationMs: 5_200, firstTs: T0, code: 1013, reason: 'User stop', endVerdict: 'normal',
    });
    assert.deepEqual(diff.alignment, { by: 'meaning', exact: true });
    assert.deepEqual(diff.counts, { both: 3, onlyA: 0, onlyB: 1, bodyDifferences: 6, stepsWithBodyDifferences: 2 });
    assert.deepEqual(diff.steps.map((s) => [s.side, s.key]), [['both', 'updated'], ['onlyB', 'type:candidate'], ['both', 'answered'], ['both', 'ended']]);
    const end = diff.steps[3];
    assert.ok(end.side === 'both');
    assert.deepEqual(end.a, { seq: 3, ts: T0 + 5_200, type: 'stop', offsetMs: 5_200 });
    assert.deepEqual(end.b, { seq: 4, ts: T0 + 4_100, type: 'destroyed', offsetMs: 4_100 });
    assert.equal(end.deltaMs, -1_100);
    assert.deepEqual(end.body, [{ path: 'code', a: 1013, b: 100011 }]);
  });

  test('two objects of one trace; an id that names several or none is refused (exit 2) with the candidates named', { timeout: 30_000 }, async () => {
    const same = await runCli(['diff', `${october}:${SESSION_B}`, `${october}:7a1bff`], 20_000);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /^A: october\.nkmtrace .*\nB: october\.nkmtrace {2}media\/session\/7a1bffff-0000 /);

    const ambiguous = await runCli(['diff', `${august}:39ce`, `${october}:7a1b`], 20_000);
    assert.equal(ambiguous.code, 2);
    assert.equal(ambiguous.stdout, '');
    assert.match(ambiguous.stderr, /^nkmedia-inspect diff: B: 7a1b matches 2 objects in october\.nkmtrace: media\/session\/7a1bc0de-4a2b-1260-75db-38c9862f00d9, media\/session\/7a1bffff-0000; give more of the id, or the full key \(see nkmedia-inspect diff --help\)\n$/);

    const missing = await runCli(['diff', `${august}:nope`, `${october}:7a1bc`], 20_000);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^nkmedia-inspect diff: A: no object nope in august\.nkmtrace; its 2 objects: media\/session\/39ce4076-391a-1260-75db-38c9862f00d9, media\/session\/other-session \(see/);
  });

  test('bad arguments exit 2, a missing file 1; --help says what an ID may be', { timeout: 30_000 }, async () => {
    const one = await runCli(['diff', `${august}:39ce`], 20_000);
    assert.equal(one.code, 2);
    assert.match(one.stderr, /two objects to compare, as FILE:ID FILE:ID \(got 1\)/);
    const noId = await runCli(['diff', august, `${october}:7a1bc`], 20_000);
    assert.equal(noId.code, 2);
    assert.match(noId.stderr, /expected FILE:ID/);
    const noFile = await runCli(['diff', path.join(dir, 'gone.nkmtrace:x'), `${october}:7a1bc`], 20_000);
    assert.equal(noFile.code, 1);
    assert.match(noFile.stderr, /^nkmedia-inspect diff: .*gone\.nkmtrace/);
    const help = await runCli(['diff', '--help'], 20_000);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /first characters of one as long as only\s+one object's id starts with them/);
  });

  test('ids, types and values from the trace reach the terminal escaped, each on its own line', { timeout: 30_000 }, async () => {
    const hostile = writeTrace('hostile.nkmtrace', '2016-08', [
      [0, { type: `stop${OSC52}`, obj_id: `evil-${OSC52}`, body: { reason: `down\r\nforged line\u009b2J` } }],
      [0, { type: 'stop', obj_id: 'plain', body: { reason: 'User stop' } }],
    ]);
    const text = await runCli(['diff', `${hostile}:evil`, `${hostile}:plain`], 20_000);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, RAW_CONTROLS);
    assert.ok(text.stdout.includes('evil-\\u001b]52;c;cm0gLXJmIH4=\\u0007'), text.stdout);
    assert.ok(!text.stdout.split('\n').some((l) => l.startsWith('forged line')), 'a CR LF in a value starts no line');
    const json = await runCli(['diff', `${hostile}:evil`, `${hostile}:plain`, '--json'], 20_000);
    assert.doesNotMatch(json.stdout, RAW_CONTROLS);
    assert.equal((JSON.parse(json.stdout) as ObjectDiff).a.objId, `evil-${OSC52}`, 'JSON keeps the very value');
  });
});

describe('FILE:ID', () => {
  test('the file ends at its trace extension; otherwise at the last colon; a drive letter is no id', { timeout: 5_000 }, () => {
    assert.deepEqual(parseObjectSpec('a.nkmtrace:39ce'), { file: 'a.nkmtrace', id: '39ce' });
    assert.deepEqual(parseObjectSpec('dir/a.nkmtrace.gz:id:with:colons'), { file: 'dir/a.nkmtrace.gz', id: 'id:with:colons' });
    assert.deepEqual(parseObjectSpec('C:\\traces\\a.jsonl:media/call/c1'), { file: 'C:\\traces\\a.jsonl', id: 'media/call/c1' });
    assert.deepEqual(parseObjectSpec('capture.txt:c1'), { file: 'capture.txt', id: 'c1' });
    assert.throws(() => parseObjectSpec('C:\\traces\\a.txt'), /expected FILE:ID/);
    assert.throws(() => parseObjectSpec('a.nkmtrace'), /expected FILE:ID/);
    assert.throws(() => parseObjectSpec('a.nkmtrace:'), /no object id after the colon/);
  });
});
