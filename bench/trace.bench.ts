// `npm run bench -- trace`: opening and saving a 1,000,000-event trace.
//
//   openSeconds          loadTrace of the file into a new EventStore (median of runs)
//   baselineSeconds      the same file streamed, split into lines and JSON.parse'd (median)
//   openRatioToBaseline  openSeconds / baselineSeconds                      target ≤ 1.5
//   peakMemoryRatioToFile  peak RSS of a fresh process that opens the file / file size   target ≤ 2
//   saveRatioToBaseline  save speed / speed of a plain streamed write of the same lines
//                        (plain seconds / save seconds)                     target ≥ 0.8
//
// The trace is generated once into out/bench-cache/ (git-ignored) and reused: TrafficGenerator
// events, with trickle ICE (each answer's candidates sent as separate `candidate` events, as
// Janus does with trickle) so that lines average ~550 bytes like the issue's reference
// (1,000,000 events ≈ 550 MB).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { EventStore } from '../src/core';
import type { EventData } from '../src/protocol/frames';
import { TrafficGenerator } from '../src/simulator/traffic';
import { makeHeader } from '../src/trace/traceFileFormat';
import { loadTrace } from '../src/trace/loadTrace';
import { saveTrace } from '../src/trace/saveTrace';
import { TraceWriter } from '../src/trace/writer';
import { collectGarbage, median, round } from './measure';

const EVENTS = 1_000_000;
const FIXTURE_VERSION = 2;
const ROOT = path.join(__dirname, '..', '..');
// Not out/bench: scripts/bench.js empties that folder on every run, and generating takes a while.
const BENCH_DIR = path.join(ROOT, 'out', 'bench-cache');
const TRACE_FILE = path.join(BENCH_DIR, `trace-${EVENTS}.nkmtrace`);
const META_FILE = `${TRACE_FILE}.json`;
const SAVE_FILE = path.join(BENCH_DIR, 'trace-saved.nkmtrace');
const PLAIN_FILE = path.join(BENCH_DIR, 'trace-plain.jsonl');
const RUNS = 3;
// Two saves: each writes ~550 MB twice (save and plain), the slowest part on a busy disk.
const SAVE_RUNS = 2;
const CHILD_FLAG = 'NKM_TRACE_BENCH_OPEN_CHILD';

interface Figures {
  events: number;
  fileBytes: number;
  openSeconds: number;
  baselineSeconds: number;
  openRatioToBaseline: number;
  peakMemoryBytes: number;
  peakMemoryRatioToFile: number;
  saveSeconds: number;
  saveBaselineSeconds: number;
  saveRatioToBaseline: number;
}

export default async function run(): Promise<{ figures: Figures; report: string[] }> {
  const report: string[] = [];
  const generated = await ensureTraceFile();
  const fileBytes = fs.statSync(TRACE_FILE).size;
  report.push(`trace: ${EVENTS.toLocaleString('en')} events, ${mb(fileBytes)} (${Math.round(fileBytes / EVENTS)} bytes per line)${generated ? `, generated in ${generated.toFixed(1)} s` : ', reused'}`);

  // Memory first, in a fresh process: this one will hold stores and garbage from the timings.
  const peakMemoryBytes = measurePeakMemoryInChild();

  const baselineRuns: number[] = [];
  const openRuns: number[] = [];
  let kept: EventStore | undefined;
  for (let run = 0; run < RUNS; run++) {
    collectGarbage();
    baselineRuns.push(await timed(() => baselineRead(TRACE_FILE)));
    kept?.dispose();
    kept = undefined;
    collectGarbage();
    let store: EventStore | undefined;
    openRuns.push(
      await timed(async () => {
        const loaded = await loadTrace(TRACE_FILE);
        if (loaded.events !== EVENTS || loaded.invalidLineCount !== 0) throw new Error(`opened ${loaded.events} events, ${loaded.invalidLineCount} bad lines`);
        store = loaded.store;
      }),
    );
    kept = store;
  }
  const store = kept as EventStore;

  const saveRuns: number[] = [];
  const plainRuns: number[] = [];
  for (let run = 0; run < SAVE_RUNS; run++) {
    collectGarbage();
    plainRuns.push(await timed(() => plainWrite(store, PLAIN_FILE)));
    collectGarbage();
    saveRuns.push(await timed(() => saveTrace(store, SAVE_FILE, { header: { tool: 'bench' } }).then(() => undefined)));
  }
  store.dispose();
  fs.rmSync(SAVE_FILE, { force: true });
  fs.rmSync(PLAIN_FILE, { force: true });

  const openSeconds = median(openRuns);
  const baselineSeconds = median(baselineRuns);
  const saveSeconds = median(saveRuns);
  const saveBaselineSeconds = median(plainRuns);
  const figures: Figures = {
    events: EVENTS,
    fileBytes,
    openSeconds: round(openSeconds),
    baselineSeconds: round(baselineSeconds),
    openRatioToBaseline: round(openSeconds / baselineSeconds),
    peakMemoryBytes,
    peakMemoryRatioToFile: round(peakMemoryBytes / fileBytes),
    saveSeconds: round(saveSeconds),
    saveBaselineSeconds: round(saveBaselineSeconds),
    saveRatioToBaseline: round(saveBaselineSeconds / saveSeconds),
  };
  report.push(
    `open into the store: ${figures.openSeconds} s (runs ${openRuns.map(round).join(', ')})`,
    `baseline read + split + JSON.parse: ${figures.baselineSeconds} s (runs ${baselineRuns.map(round).join(', ')})`,
    `open / baseline: ${figures.openRatioToBaseline} (target ≤ 1.5)`,
    `peak RSS opening in a fresh process: ${mb(peakMemoryBytes)} = ${figures.peakMemoryRatioToFile} × the file (target ≤ 2)`,
    `save: ${figures.saveSeconds} s; plain streamed write of the same lines: ${figures.saveBaselineSeconds} s`,
    `save speed / plain write speed: ${figures.saveRatioToBaseline} (target ≥ 0.8)`,
  );
  return { figures, report };
}

// ---- the file ----

/** Generates the trace unless a complete one of this fixture version exists; returns seconds spent, or 0. */
async function ensureTraceFile(): Promise<number> {
  try {
    const meta = JSON.parse(fs.readFileSync(META_FILE, 'utf8')) as { version: number; events: number; bytes: number };
    if (meta.version === FIXTURE_VERSION && meta.events === EVENTS && fs.statSync(TRACE_FILE).size === meta.bytes) return 0;
  } catch {
    // missing or stale: generate
  }
  const started = performance.now();
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const writer = new TraceWriter(TRACE_FILE, makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: 'admin', name: 'bench' }, subscriptions: [{ class: 'media' }], tool: 'nkmedia-inspect bench' }), { atomic: true });
  const events = trickledTraffic();
  let ts = Date.UTC(2026, 10, 28, 3, 0, 0);
  for (let seq = 1; seq <= EVENTS; seq++) {
    ts += seq % 7 === 0 ? 3 : seq % 3;
    writer.writeEvent(seq, ts, events.next().value as EventData);
    if (seq % 4096 === 0) await writer.drain();
  }
  await writer.close();
  fs.writeFileSync(META_FILE, JSON.stringify({ version: FIXTURE_VERSION, events: EVENTS, bytes: fs.statSync(TRACE_FILE).size }));
  return (performance.now() - started) / 1000;
}

/** Simulator traffic where answers carry no candidates: those follow as `candidate` events. */
function* trickledTraffic(): Generator<EventData, never, void> {
  const traffic = new TrafficGenerator({ seed: 1, liveObjects: 300 });
  let answers = 0;
  for (;;) {
    const event = traffic.next();
    const sdp = event.body?.answer;
    // 5 answers in 12 trickle: lines then average ~550 bytes (all: ~385, none: ~1,100).
    if (event.type !== 'answer' || typeof sdp !== 'string' || answers++ % 12 >= 5) {
      yield event;
      continue;
    }
    const lines = sdp.split('\r\n');
    const candidates = lines.filter((l) => l.startsWith('a=candidate:'));
    yield { ...event, body: { ...event.body, answer: lines.filter((l) => !l.startsWith('a=candidate:')).join('\r\n') } };
    for (const candidate of candidates) {
      yield { class: event.class, subclass: event.subclass, type: 'candidate', obj_id: event.obj_id, body: { candidate: candidate.slice(2), sdpMid: 'audio', sdpMLineIndex: 0 } };
    }
  }
}

// ---- measurements ----

/** What any program reading JSON Lines does at least: stream, split, JSON.parse each line. */
async function baselineRead(file: string): Promise<void> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
  let carry = '';
  let parsed = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    let text = carry + chunk;
    let from = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', from)) {
      if (newline > from) {
        JSON.parse(text.slice(from, newline));
        parsed++;
      }
      from = newline + 1;
    }
    carry = text.slice(from);
    text = '';
  }
  if (carry.length > 0) {
    JSON.parse(carry);
    parsed++;
  }
  if (parsed !== EVENTS + 1) throw new Error(`baseline parsed ${parsed} lines`);
}

/** The store's lines written as they are, in large batches, with backpressure: the floor for a save. */
async function plainWrite(store: EventStore, file: string): Promise<void> {
  const out = fs.createWriteStream(file, { highWaterMark: 1024 * 1024 });
  let batch: string[] = [];
  let chars = 0;
  for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) {
    const line = store.rawOf(seq) as string;
    batch.push(line);
    chars += line.length + 1;
    if (chars >= 256 * 1024) {
      if (!out.write(batch.join('\n') + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      batch = [];
      chars = 0;
    }
  }
  out.write(batch.join('\n') + '\n');
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}

/** Peak RSS of a new Node process that only opens the trace (its own runtime included). */
function measurePeakMemoryInChild(): number {
  const result = spawnSync(process.execPath, ['--expose-gc', __filename], {
    env: { ...process.env, [CHILD_FLAG]: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = (result.stdout || '').split('\n').find((l) => l.startsWith('@@PEAK '));
  if (result.status !== 0 || !line) throw new Error(`the memory measurement process failed (exit ${result.status})`);
  return Number(line.slice('@@PEAK '.length));
}

async function childOpen(): Promise<void> {
  const loaded = await loadTrace(TRACE_FILE);
  if (loaded.events !== EVENTS) throw new Error(`opened ${loaded.events} events`);
  // maxRSS is in kilobytes.
  process.stdout.write(`@@PEAK ${process.resourceUsage().maxRSS * 1024}\n`);
  loaded.store.dispose();
}

if (process.env[CHILD_FLAG] === '1' && require.main === module) {
  childOpen().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

// ---- helpers ----

async function timed(action: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return (performance.now() - started) / 1000;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}
