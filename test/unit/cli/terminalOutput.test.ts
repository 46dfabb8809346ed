// #13 item 8: ids, types, reasons and names from servers and traces reach the terminal as
// visible escapes, never as instructions to it. The attack: an OSC 52 sequence, which makes
// a terminal such as xterm, kitty or iTerm2 replace the clipboard with the text it carries.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { terminalSafe } from '../../../src/shared/terminalText';
import { makeHeader } from '../../../src/trace/traceFileFormat';
import { FakeServer } from '../protocol/fakeServer';
import { removeCliScript, runCli, startCli, until } from './cliProcess';

/** ESC ] 52 ; c ; base64("rm -rf ~") BEL: "put this in the clipboard". */
const OSC52 = '\u001b]52;c;cm0gLXJmIH4=\u0007';
/** What a terminal must never get: ESC, BEL, the one-character C1 CSI and OSC, DEL, CR. */
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-terminal-'));
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  removeCliScript();
});

function hostileTrace(name: string): string {
  const file = path.join(dir, name);
  const events = [
    { class: 'media', subclass: 'session', type: `stop${OSC52}`, obj_id: `id-${OSC52}\u009b31m`, body: { code: 2202, reason: `down\r\nforged line\u007f` } },
    { class: 'media', subclass: `room\u009d0;title\u009c`, type: 'started', obj_id: 'room-1' },
  ];
  const lines = [JSON.stringify(makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: `admin${OSC52}` }, tool: `x\u001b[2J` }))];
  events.forEach((event, i) => lines.push(JSON.stringify({ seq: i + 1, ts: 1_764_299_565_000 + i, event })));
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('terminalSafe', () => {
  test('writes an OSC 52 clipboard write, C1, DEL and bidi controls as visible \\u escapes', { timeout: 5_000 }, () => {
    const out = terminalSafe(`a${OSC52}b\u009b31m\u007fc\u202eevil`);
    assert.equal(out, 'a\\u001b]52;c;cm0gLXJmIH4=\\u0007b\\u009b31m\\u007fc\\u202eevil');
  });

  test('keeps tabs; keeps newlines only when asked; always escapes CR', { timeout: 5_000 }, () => {
    assert.equal(terminalSafe('a\tb\nc\r'), 'a\tb\\u000ac\\u000d');
    assert.equal(terminalSafe('a\tb\nc\r', { keepNewlines: true }), 'a\tb\nc\\u000d');
  });

  test('leaves plain and non-Latin text alone, and JSON stays JSON with the same values', { timeout: 5_000 }, () => {
    assert.equal(terminalSafe('call-1 ✓ 日本語 émoji 🎉'), 'call-1 ✓ 日本語 émoji 🎉');
    const value = { id: `x${OSC52}\u009b\u007f\u2066` };
    const json = terminalSafe(JSON.stringify(value), { keepNewlines: true });
    assert.doesNotMatch(json, RAW_CONTROLS);
    assert.deepEqual(JSON.parse(json), value);
  });
});

describe('nkmedia-inspect output to a terminal', () => {
  test('stats prints ids and types with an OSC 52 in them as text, one line each', { timeout: 30_000 }, async () => {
    const { code, stdout, stderr } = await runCli(['stats', hostileTrace('osc.nkmtrace')], 20_000);
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stdout, RAW_CONTROLS, 'a control character reached the terminal');
    assert.ok(stdout.includes('id-\\u001b]52;c;cm0gLXJmIH4=\\u0007\\u009b31m'), stdout);
    assert.ok(stdout.includes('stop\\u001b]52;c;'), 'the type is shown, escaped');
    assert.ok(!stdout.split('\n').some((line) => line.startsWith('forged line')), 'a CR LF in a reason starts no line of its own');
  });

  test('stats --json is still JSON, with the very same ids, and nothing raw for the terminal', { timeout: 30_000 }, async () => {
    const { code, stdout, stderr } = await runCli(['stats', hostileTrace('osc-json.nkmtrace'), '--json'], 20_000);
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stdout, RAW_CONTROLS);
    const stats = JSON.parse(stdout) as { objects: Array<{ key: string }>; types: Array<{ type: string; subclass: string }> };
    assert.ok(stats.objects.some((o) => o.key === `media/session/id-${OSC52}\u009b31m`), 'ids are kept exactly');
    assert.ok(stats.types.some((t) => t.subclass === 'room\u009d0;title\u009c'));
  });

  test('errors name a hostile file without its escapes', { timeout: 30_000 }, async () => {
    const { code, stderr } = await runCli(['stats', path.join(dir, `missing${OSC52}.nkmtrace`)], 20_000);
    assert.equal(code, 1);
    assert.doesNotMatch(stderr, RAW_CONTROLS);
    assert.match(stderr, /no such file: .*missing\\u001b\]52;c;/);
  });

  test('demo prints a hostile --user escaped', { timeout: 30_000 }, async () => {
    const run = await startCli(['demo', '--port', '0', '--user', `eve${OSC52}`]);
    try {
      await until(() => run.stdout().includes('Press Ctrl+C'), 'the demo banner');
      assert.doesNotMatch(run.stdout(), RAW_CONTROLS);
      assert.match(run.stdout(), /user: eve\\u001b\]52;c;cm0gLXJmIH4=\\u0007\n/);
    } finally {
      await run.kill();
    }
  });

  test('record prints a server\'s refusal text with an OSC 52 in it escaped', { timeout: 30_000 }, async () => {
    const server = await FakeServer.start({
      reply: (frame) => (frame.cmd === 'subscribe' ? { result: 'error', data: { error: `no${OSC52}\u009b2J`, code: 1001 } } : undefined),
    });
    try {
      const file = path.join(dir, 'refused.nkmtrace');
      const { code, stderr } = await runCli(['record', '--url', server.url, '--out', file, '--duration', '1'], 20_000, { env: { NKMEDIA_PASSWORD: 'admin' } });
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, RAW_CONTROLS);
      assert.match(stderr, /refused by the server: .*no\\u001b\]52;c;cm0gLXJmIH4=\\u0007\\u009b2J/);
    } finally {
      await server.close();
    }
  });

  test('replay prints a trace file name with an OSC 52 in it escaped', { timeout: 30_000 }, async () => {
    const run = await startCli(['replay', hostileTrace(`trace${OSC52}.nkmtrace`), '--port', '0']);
    try {
      await until(() => run.stdout().includes('waiting for'), 'the replay banner');
      assert.doesNotMatch(run.stdout() + run.stderr(), RAW_CONTROLS);
      assert.match(run.stdout(), /replaying trace\\u001b\]52;c;cm0gLXJmIH4=\\u0007\.nkmtrace on ws:/);
    } finally {
      await run.kill();
    }
  });
});
