// `npm run bench -- ingest`: simulator → client → store at full speed.
//
// The server is the real NkServiceServer (NkSERVICE protocol, per-connection tids, 5-second
// answer deadlines enforced) running in a CHILD PROCESS, so that it does not share the
// client's event loop. It publishes as fast as the client reads: a batch of events per loop
// turn while the client's unsent backlog is at most 4 MB (NkMediaSimulator's own pacing rule).
// The events are TrafficGenerator traffic (seed 1, class media, ~1.1 KB of JSON on average),
// generated and serialized once into a pool before the runs: generating them live costs ~5 µs
// each and JSON.stringify ~2 µs more (NkMediaSimulator tops out near 200,000/s on one core
// before sending anything), which would make the server, not the client, the bottleneck.
// They go out through NkServiceServer.publish(event, json), so tids, deadlines and the
// server's per-connection write batching are the real ones. Every run replays the same pool
// from its start, so each client sees coherent object lifecycles.
//
// Each run sends EVENTS events to one fresh client. Runs alternate baseline, subject,
// baseline, subject… on the same server, after an uncounted warm-up of each; medians are
// reported because the machine is noisy.
//
//   baselineEventsPerSecond  a bare `ws` client that only JSON.parses each frame and answers
//                            it (`{"result":"ok","tid":N}`) with ws.send, its socket corked
//                            so a tick's answers leave in one write (process.nextTick), as
//                            the issue describes it. (The inspector's client also makes one
//                            write per tick, but builds the frames itself: textFrames.ts.)
//   eventsPerSecond          LiveSource (src/inspector/liveSource.ts, what the extension uses):
//                            NkServiceClient (parse, classify, answer, validate the event data)
//                            → EventStore.append. From the first event stored to the last.
//   ratioToBaseline          median over the pairs of subject / baseline events/s (each pair
//                            runs back to back, so a change in the machine's load cancels
//                            out)   target ≥ 0.5 (and eventsPerSecond target ≥ 100,000)
//   answerLatencyMs          p50/p99 (median over subject runs) of the time from the server
//                            registering an event request (where its deadline starts) to the
//                            server having processed its answer; every 64th event is sampled.
//                            Target p99 < 1000 ms, and the server must never close the
//                            connection (answer timeout or slow client).
//   bytesPerEvent            (heap used + array buffers) after gc with the store holding the
//                            run's events, minus the same before the run, per stored event
//   memoryRatioToRaw         that growth / store.rawBytes (the events' JSON text)   target ≤ 2
//   ingestWatches            the same subject with 10 watches running on its store (#14;
//                            bench/ingestWatches.ts says which and how often): its events/s,
//                            the subject's without watches, and the median over the triples of
//                            with / without (each triple runs both back to back, their order
//                            alternating)   target ≥ 0.90; and the same ratio of client CPU
//                            time per event, which a busy machine sways less
//
// Also reported, because this machine is shared and often busy: the CPU time per event of the
// client process (GC threads included) and of the server process, the CPU-time ratio (the
// ratio the two clients would show with a core each to themselves, if nothing else limited
// them), and how much of the machine other processes used during the runs.
//
// How answers are observed without a latency hook in the server: the server sends no pings here
// (pingSeconds 0), so its k-th request to a connection is the k-th event, with tid k; the
// client answers in order, so `published - server.maxOutstandingRequests` is the number of
// events answered so far. The publishing loop records when sampled events are published, and
// after each poll phase (where answers are read) sees which sampled events are now answered.
import { fork, type ChildProcess } from 'child_process';
import * as os from 'os';
import WebSocket from 'ws';
import { LiveSource } from '../src/inspector/liveSource';
import type { EventData } from '../src/protocol/frames';
import { nullLogger } from '../src/shared/logger';
import { NkServiceServer } from '../src/simulator/nkServiceServer';
import { TrafficGenerator } from '../src/simulator/traffic';
import { collectGarbage, median, percentile, round } from './measure';
import { RUN_EVERY_EVENTS, WATCH_EXPRESSIONS, startWatches } from './ingestWatches';

const EVENTS = 500_000;
const WARMUP_EVENTS = 100_000;
const MIN_PAIRS = 3;
const MAX_PAIRS = 5;
/** After MIN_PAIRS, no new pair starts when it would likely end past this (the part must stay < 3 min). */
const TIME_BUDGET_MS = 120_000;
/** A run that takes longer is broken (500,000 events in 60 s is under 8,500/s). */
const RUN_TIMEOUT_MS = 60_000;
/** Events published per turn of the server's loop. */
const PUBLISH_BATCH = 512;
/** The same rule as NkMediaSimulator: no new traffic while a subscriber has more unsent. */
const PACE_BACKLOG_BYTES = 4 * 1024 * 1024;
const LATENCY_SAMPLE_EVERY = 64;
const USER = 'admin';
const PASSWORD = 'admin';
const SERVER_FLAG = 'NKM_INGEST_BENCH_SERVER';

const TARGET_EVENTS_PER_SECOND = 100_000;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 1000;
const TARGET_MEMORY_RATIO = 2;
const TARGET_WATCH_RATIO = 0.9;

interface Figures {
  events: number;
  runs: number;
  eventsPerSecond: number;
  baselineEventsPerSecond: number;
  ratioToBaseline: number;
  answerLatencyMs: { p50: number; p99: number };
  answerLatencyMaxMs: number;
  baselineAnswerLatencyMs: { p50: number; p99: number };
  bytesPerEvent: number;
  rawBytesPerEvent: number;
  memoryRatioToRaw: number;
  serverClosedConnection: boolean;
  /** Diagnostics: CPU µs per event (user + system, all threads) of each process, medians. */
  cpuMicrosPerEvent: { subject: number; baseline: number; serverWithSubject: number; serverWithBaseline: number };
  /** baseline client CPU per event / subject client CPU per event (median over pairs). */
  cpuRatioToBaseline: number;
  /** Share of the machine's CPU used by other processes during the counted runs (0..1). */
  otherLoad: number;
  /** The subject with watches on its store, against the subject without, medians. */
  ingestWatches: {
    watches: number;
    runToEveryEvents: number;
    eventsPerSecond: number;
    withoutWatchesEventsPerSecond: number;
    ratio: number;
    hitsPerRun: number;
    cpuMicrosPerEvent: number;
    /** Client CPU per event without watches / with (median of the pairs): less swayed by a busy machine. */
    cpuRatio: number;
  };
}

// ---- messages between this process and the server process ----

type ToServer = { cmd: 'run'; events: number } | { cmd: 'stop' };

interface ServerRun {
  /** Events published to the client and answered by it. */
  published: number;
  answered: number;
  /** First publish to last answer, as seen by the server. */
  seconds: number;
  /** Server process CPU (user + system) over the run. */
  cpuSeconds: number;
  /** Answer latencies of the sampled events, ms. */
  latencies: number[];
  maxBacklogBytes: number;
  /** Set when the connection closed before every event was answered. */
  closed?: { code: number; reason: string };
  timedOut?: boolean;
}

type FromServer = { kind: 'ready'; url: string; poolEvents: number; poolSeconds: number } | ({ kind: 'done' } & ServerRun) | { kind: 'error'; message: string };

// ---- the benchmark (client side) ----

interface ClientRun {
  events: number;
  /** First event handled to the last one handled, on the client. */
  seconds: number;
  /** This process's CPU (user + system) over the run. */
  cpuSeconds: number;
  memory?: { bytes: number; rawBytes: number; stored: number };
}

interface RunResult {
  client: ClientRun;
  server: ServerRun;
  eventsPerSecond: number;
  /** Share of the machine's CPU (all cores) that processes other than ours used during the run. */
  otherLoad: number;
  /** Watch hits in a run with watches. */
  watchHits?: number;
}

export default async function run(): Promise<{ figures: Figures; report: string[] }> {
  const started = performance.now();
  const report: string[] = [];
  const server = await ServerProcess.start();
  try {
    report.push(
      `server: NkServiceServer in a child process, ${server.poolEvents.toLocaleString('en')} TrafficGenerator events pregenerated in ${server.poolSeconds.toFixed(1)} s, ` +
        `published in batches of ${PUBLISH_BATCH} while the client's backlog ≤ ${PACE_BACKLOG_BYTES / 1024 / 1024} MB`,
    );
    const warmBaseline = await runBaseline(server, WARMUP_EVENTS);
    const warmSubject = await runSubject(server, WARMUP_EVENTS, false);
    const warmWatched = await runSubject(server, WARMUP_EVENTS, false, true);
    report.push(
      `warm-up (not counted): baseline ${rate(warmBaseline.eventsPerSecond)}, subject ${rate(warmSubject.eventsPerSecond)}, with watches ${rate(warmWatched.eventsPerSecond)} (${WARMUP_EVENTS.toLocaleString('en')} events each)`,
    );

    const baselines: RunResult[] = [];
    const subjects: RunResult[] = [];
    const watched: RunResult[] = [];
    const closures: string[] = [];
    if (warmSubject.server.closed) closures.push(`warm-up: ${describeClosure(warmSubject.server)}`);
    const pairsStarted = performance.now();
    for (let pair = 0; pair < MAX_PAIRS; pair++) {
      const now = performance.now();
      if (pair >= MIN_PAIRS && now - started + (now - pairsStarted) / pair > TIME_BUDGET_MS) break;
      baselines.push(await runBaseline(server, EVENTS));
      // With and without watches back to back, in turn first: a drift of the machine's load
      // within a triple then favours neither.
      const withWatches = pair % 2 === 1 ? await runSubject(server, EVENTS, false, true) : undefined;
      const subject = await runSubject(server, EVENTS, true);
      const watchedRun = withWatches ?? (await runSubject(server, EVENTS, false, true));
      subjects.push(subject);
      watched.push(watchedRun);
      if (subject.server.closed || subject.server.timedOut) closures.push(`run ${pair + 1}: ${describeClosure(subject.server)}`);
      if (watchedRun.server.closed || watchedRun.server.timedOut) closures.push(`run ${pair + 1} with watches: ${describeClosure(watchedRun.server)}`);
    }

    const eventsPerSecond = median(subjects.map((r) => r.eventsPerSecond));
    const baselineEventsPerSecond = median(baselines.map((r) => r.eventsPerSecond));
    const ratioToBaseline = median(subjects.map((s, i) => s.eventsPerSecond / baselines[i].eventsPerSecond));
    const cpuRatioToBaseline = median(subjects.map((s, i) => clientMicros(baselines[i]) / clientMicros(s)));
    const subjectP50 = median(subjects.map((r) => percentile(r.server.latencies, 0.5)));
    const subjectP99 = median(subjects.map((r) => percentile(r.server.latencies, 0.99)));
    const subjectMax = Math.max(...subjects.map((r) => percentile(r.server.latencies, 1)));
    const baselineP50 = median(baselines.map((r) => percentile(r.server.latencies, 0.5)));
    const baselineP99 = median(baselines.map((r) => percentile(r.server.latencies, 0.99)));
    const memories = subjects.map((r) => r.client.memory).filter((m): m is NonNullable<ClientRun['memory']> => m !== undefined && m.stored > 0);
    const bytesPerEvent = median(memories.map((m) => m.bytes / m.stored));
    const rawBytesPerEvent = median(memories.map((m) => m.rawBytes / m.stored));
    const memoryRatioToRaw = median(memories.map((m) => m.bytes / m.rawBytes));
    const otherLoad = median([...baselines, ...subjects].map((r) => r.otherLoad));
    const watchedEventsPerSecond = median(watched.map((r) => r.eventsPerSecond));
    const watchRatio = median(watched.map((w, i) => w.eventsPerSecond / subjects[i].eventsPerSecond));

    const figures: Figures = {
      events: EVENTS,
      runs: subjects.length,
      eventsPerSecond: Math.round(eventsPerSecond),
      baselineEventsPerSecond: Math.round(baselineEventsPerSecond),
      ratioToBaseline: round(ratioToBaseline),
      answerLatencyMs: { p50: round(subjectP50), p99: round(subjectP99) },
      answerLatencyMaxMs: round(subjectMax),
      baselineAnswerLatencyMs: { p50: round(baselineP50), p99: round(baselineP99) },
      bytesPerEvent: Math.round(bytesPerEvent),
      rawBytesPerEvent: Math.round(rawBytesPerEvent),
      memoryRatioToRaw: round(memoryRatioToRaw),
      serverClosedConnection: closures.length > 0,
      cpuMicrosPerEvent: {
        subject: round(median(subjects.map(clientMicros))),
        baseline: round(median(baselines.map(clientMicros))),
        serverWithSubject: round(median(subjects.map(serverMicros))),
        serverWithBaseline: round(median(baselines.map(serverMicros))),
      },
      cpuRatioToBaseline: round(cpuRatioToBaseline),
      otherLoad: round(otherLoad),
      ingestWatches: {
        watches: WATCH_EXPRESSIONS.length,
        runToEveryEvents: RUN_EVERY_EVENTS,
        eventsPerSecond: Math.round(watchedEventsPerSecond),
        withoutWatchesEventsPerSecond: Math.round(eventsPerSecond),
        ratio: round(watchRatio),
        hitsPerRun: Math.round(median(watched.map((r) => r.watchHits ?? 0))),
        cpuMicrosPerEvent: round(median(watched.map(clientMicros))),
        cpuRatio: round(median(watched.map((w, i) => clientMicros(subjects[i]) / clientMicros(w)))),
      },
    };

    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    report.push(`${subjects.length} pairs of runs of ${EVENTS.toLocaleString('en')} events, baseline then subject (CPU: share of one core, µs per event):`);
    for (let i = 0; i < subjects.length; i++) {
      const b = baselines[i];
      const s = subjects[i];
      report.push(
        `  pair ${i + 1}: baseline ${rate(b.eventsPerSecond)} (client ${cpuOf(b)}, server ${serverCpuOf(b)}, others ${percent(b.otherLoad)} of the machine); ` +
          `subject ${rate(s.eventsPerSecond)} (client ${cpuOf(s)}, server ${serverCpuOf(s)}, others ${percent(s.otherLoad)}); ratio ${(s.eventsPerSecond / b.eventsPerSecond).toFixed(2)}; ` +
          `subject answers p50 ${percentile(s.server.latencies, 0.5).toFixed(0)} ms, p99 ${percentile(s.server.latencies, 0.99).toFixed(0)} ms, max ${percentile(s.server.latencies, 1).toFixed(0)} ms; ` +
          `with watches${i % 2 === 1 ? ' (run first)' : ''} ${rate(watched[i].eventsPerSecond)} (client ${cpuOf(watched[i])}), ratio ${(watched[i].eventsPerSecond / s.eventsPerSecond).toFixed(2)}`,
      );
    }
    report.push(
      'medians:',
      `${verdict(eventsPerSecond >= TARGET_EVENTS_PER_SECOND)}  simulator → LiveSource (client + store): ${rate(eventsPerSecond)} (target ≥ ${rate(TARGET_EVENTS_PER_SECOND)})`,
      `      baseline (bare ws client: JSON.parse + answer, answers written once per tick): ${rate(baselineEventsPerSecond)}`,
      `${verdict(ratioToBaseline >= TARGET_RATIO)}  ratio to the baseline (median of the pairs): ${figures.ratioToBaseline} (target ≥ ${TARGET_RATIO})`,
      `${verdict(subjectP99 < TARGET_P99_MS)}  answer latency at full rate: p50 ${fixed(subjectP50)} ms, p99 ${fixed(subjectP99)} ms (target p99 < ${TARGET_P99_MS} ms); ` +
        `worst sample of all subject runs ${fixed(subjectMax)} ms; baseline p50 ${fixed(baselineP50)} ms, p99 ${fixed(baselineP99)} ms`,
      `${verdict(closures.length === 0)}  the server never closed the subject's connection${closures.length ? `: it did (${closures.join('; ')})` : ' (its 5 s answer deadline enforced throughout)'}`,
      `${verdict(memoryRatioToRaw <= TARGET_MEMORY_RATIO)}  memory: ${figures.bytesPerEvent} bytes per stored event for ${figures.rawBytesPerEvent} bytes of raw JSON = ${figures.memoryRatioToRaw} × raw (target ≤ ${TARGET_MEMORY_RATIO})`,
      `      CPU per event: subject client ${figures.cpuMicrosPerEvent.subject} µs, baseline client ${figures.cpuMicrosPerEvent.baseline} µs ` +
        `(CPU-time ratio ${figures.cpuRatioToBaseline}); server ${figures.cpuMicrosPerEvent.serverWithBaseline} µs with the baseline, ${figures.cpuMicrosPerEvent.serverWithSubject} µs with the subject`,
      `${verdict(watchRatio >= TARGET_WATCH_RATIO)}  with ${WATCH_EXPRESSIONS.length} watches (StoreWatcher.runTo every ${RUN_EVERY_EVENTS.toLocaleString('en')} events): ${rate(watchedEventsPerSecond)}, without ${rate(eventsPerSecond)}; ` +
        `ratio ${figures.ingestWatches.ratio} (median of the pairs; target ≥ ${TARGET_WATCH_RATIO}); ${figures.ingestWatches.hitsPerRun.toLocaleString('en')} hits per run; client CPU ${figures.ingestWatches.cpuMicrosPerEvent} µs per event (CPU-time ratio ${figures.ingestWatches.cpuRatio})`,
    );
    const serverBound = baselines.filter((b) => b.server.cpuSeconds / b.server.seconds > 0.9 && b.server.cpuSeconds / b.server.seconds >= b.client.cpuSeconds / b.client.seconds).length;
    if (serverBound > baselines.length / 2) {
      report.push(`NOTE  the server process was at least as busy as the baseline client in ${serverBound} of ${baselines.length} baseline runs: the baseline may be limited by the server, which flatters the ratio`);
    }
    if (otherLoad > 0.1) {
      report.push(`NOTE  other processes used ${percent(otherLoad)} of this ${os.cpus().length}-core machine during the runs (median): events/s figures are lower than on a quiet machine; the CPU-time figures are less affected`);
    }
    report.push(`(part took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    return { figures, report };
  } finally {
    await server.stop();
  }
}

/** The bare client: JSON.parse each frame, answer requests, one socket write per tick. */
async function runBaseline(server: ServerProcess, events: number): Promise<RunResult> {
  collectGarbage();
  const machineBefore = machineTimes();
  const cpuBefore = process.cpuUsage();
  const served = server.run(events);
  served.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  const ws = new WebSocket(server.url, { perMessageDeflate: false, maxPayload: 4 * 1024 * 1024 });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  let handled = 0;
  let firstAt = 0;
  let lastAt = 0;
  let cpuAtFirst = process.cpuUsage();
  let cpuAtLast = cpuAtFirst;
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  let corked = false;
  let socket: { cork(): void; uncork(): void } | undefined;
  const uncork = () => {
    corked = false;
    socket?.uncork();
  };
  ws.on('message', (data: WebSocket.RawData) => {
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
    const frame = JSON.parse(text) as { cmd?: string; tid?: unknown };
    if (frame.cmd === undefined) return; // answers to our login and subscribe
    if (!corked) {
      corked = true;
      socket?.cork();
      process.nextTick(uncork);
    }
    ws.send(`{"result":"ok","tid":${JSON.stringify(frame.tid)}}`);
    if (frame.cmd !== 'event') return;
    handled++;
    if (handled === 1) {
      firstAt = performance.now();
      cpuAtFirst = process.cpuUsage();
    }
    if (handled === events) {
      lastAt = performance.now();
      cpuAtLast = process.cpuUsage(cpuAtFirst);
      resolveAll();
    }
  });
  await opened;
  socket = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
  ws.send(JSON.stringify({ class: 'core', subclass: 'user', cmd: 'login', data: { user: USER, password: PASSWORD }, tid: 1 }));
  ws.send(JSON.stringify({ class: 'core', subclass: 'event', cmd: 'subscribe', data: { class: 'media' }, tid: 2 }));
  const serverRun = await withTimeout(served, 'baseline run');
  if (handled === events) await all;
  const otherLoad = otherLoadSince(machineBefore, cpuSeconds(process.cpuUsage(cpuBefore)) + serverRun.cpuSeconds);
  ws.close();
  await closed;
  if (handled !== events) throw new Error(`baseline run: ${handled} of ${events} events arrived (${describeClosure(serverRun)})`);
  const seconds = (lastAt - firstAt) / 1000;
  const client: ClientRun = { events, seconds, cpuSeconds: cpuSeconds(cpuAtLast) };
  return { client, server: serverRun, eventsPerSecond: (events - 1) / seconds, otherLoad };
}

/** What the extension runs per connection: LiveSource = NkServiceClient → EventStore (and, `watched`, the watches on it). */
async function runSubject(server: ServerProcess, events: number, measureMemory: boolean, watched = false): Promise<RunResult> {
  collectGarbage();
  collectGarbage();
  const memoryBefore = heapAndBuffers();
  const machineBefore = machineTimes();
  const cpuBefore = process.cpuUsage();
  const served = server.run(events);
  served.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  const source = new LiveSource({
    id: 'bench',
    name: 'bench',
    logger: nullLogger,
    client: { url: server.url, user: USER, password: PASSWORD, reconnect: false },
  });
  let handled = 0;
  let firstAt = 0;
  let lastAt = 0;
  let cpuAtFirst = process.cpuUsage();
  let cpuAtLast = cpuAtFirst;
  const watches = watched ? startWatches(source.store) : undefined;
  // Registered after LiveSource's own listener, so it runs once the event is stored.
  source.client.onEvent(() => {
    handled++;
    watches?.stored(handled, handled === events);
    if (handled === 1) {
      firstAt = performance.now();
      cpuAtFirst = process.cpuUsage();
    }
    if (handled === events) {
      lastAt = performance.now();
      cpuAtLast = process.cpuUsage(cpuAtFirst);
    }
  });
  await source.connect();
  const serverRun = await withTimeout(served, 'subject run');
  const otherLoad = otherLoadSince(machineBefore, cpuSeconds(process.cpuUsage(cpuBefore)) + serverRun.cpuSeconds);
  // The server got every answer, and the client stores each event in the tick it answers it.
  await source.client.disconnect();
  source.client.dispose();
  const stored = source.store.size;
  let memory: ClientRun['memory'];
  if (measureMemory) {
    collectGarbage();
    collectGarbage();
    memory = { bytes: heapAndBuffers() - memoryBefore, rawBytes: source.store.rawBytes, stored };
  }
  await source.dispose();
  if (handled !== events && !serverRun.closed) throw new Error(`subject run: ${handled} of ${events} events arrived`);
  if (stored !== handled) throw new Error(`subject run: ${handled} events arrived but ${stored} were stored`);
  const seconds = ((handled === events ? lastAt : performance.now()) - firstAt) / 1000;
  const client: ClientRun = { events: handled, seconds, cpuSeconds: cpuSeconds(cpuAtLast), memory };
  return { client, server: serverRun, eventsPerSecond: (handled - 1) / seconds, otherLoad, watchHits: watches?.hits };
}

// ---- the server process ----

class ServerProcess {
  private waiting: ((message: FromServer) => void) | undefined;
  private exited = false;
  private failure: Error | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly poolEvents: number,
    readonly poolSeconds: number,
  ) {
    child.on('message', (message: FromServer) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (message.kind === 'error') this.failure = new Error(`benchmark server: ${message.message}`);
      waiting?.(message);
    });
    child.on('exit', (code) => {
      this.exited = true;
      this.failure ??= new Error(`benchmark server exited (code ${code})`);
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.({ kind: 'error', message: this.failure.message });
    });
  }

  static async start(): Promise<ServerProcess> {
    // Its own heap limit: the bench's flags (and its `-e` script) are not for this process.
    const child = fork(__filename, [], {
      execArgv: ['--max-old-space-size=4096'],
      env: { ...process.env, [SERVER_FLAG]: '1' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const ready = await new Promise<FromServer>((resolve, reject) => {
      child.once('message', (message: FromServer) => resolve(message));
      child.once('exit', (code) => reject(new Error(`benchmark server exited before it was ready (code ${code})`)));
    });
    if (ready.kind !== 'ready') {
      child.kill();
      throw new Error(`benchmark server: ${ready.kind === 'error' ? ready.message : 'unexpected message'}`);
    }
    return new ServerProcess(child, ready.url, ready.poolEvents, ready.poolSeconds);
  }

  /** Arms the server for one client and `events` events; resolves when all are answered (or the run failed). */
  run(events: number): Promise<ServerRun> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = (message) => {
        if (message.kind === 'done') {
          const { kind: _kind, ...run } = message;
          resolve(run);
        } else reject(new Error(message.kind === 'error' ? message.message : 'unexpected message from the benchmark server'));
      };
      this.send({ cmd: 'run', events });
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ cmd: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private send(message: ToServer): void {
    if (!this.exited) this.child.send(message);
  }
}

async function serverMain(): Promise<void> {
  const send = (message: FromServer) => process.send?.(message);
  const poolStarted = performance.now();
  const pool = buildPool(EVENTS);
  const jsons = pool.map((event) => JSON.stringify(event));
  const poolSeconds = (performance.now() - poolStarted) / 1000;
  // No pings: the k-th request to a connection is then its k-th event (see the top comment).
  const server = new NkServiceServer({ port: 0, pingSeconds: 0, user: USER, password: PASSWORD });
  // Only the closing of the client a run serves counts (the previous one may close late).
  let lastLogin = 0;
  let runClient = -1;
  let closed: ServerRun['closed'];
  server.onDidLogin((info) => (lastLogin = info.clientId));
  server.onDidDisconnect((info) => {
    if (info.clientId === runClient) closed ??= { code: info.code, reason: info.reason };
  });
  const { url } = await server.start();
  process.on('disconnect', () => process.exit(0)); // the benchmark is gone
  process.on('message', (message: ToServer) => {
    if (message.cmd === 'stop') {
      server.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
      return;
    }
    closed = undefined;
    runClient = -1;
    const served = () => (runClient = lastLogin);
    serveRun(server, pool, jsons, message.events, served, () => closed).then(
      (run) => send({ kind: 'done', ...run }),
      (error: Error) => send({ kind: 'error', message: error.stack ?? error.message }),
    );
  });
  send({ kind: 'ready', url, poolEvents: pool.length, poolSeconds });
}

/** Media events only (what the clients subscribe to); coherent lifecycles from the start. */
function buildPool(count: number): EventData[] {
  const traffic = new TrafficGenerator({ seed: 1 });
  const pool: EventData[] = [];
  while (pool.length < count) {
    const event = traffic.next();
    if (event.class === 'media') pool.push(event);
  }
  return pool;
}

/** Waits for one subscribed client, sends it `events` events as fast as it reads them, and watches its answers. */
async function serveRun(
  server: NkServiceServer,
  pool: EventData[],
  jsons: string[],
  events: number,
  serving: () => void,
  closedInfo: () => ServerRun['closed'],
): Promise<ServerRun> {
  const armedAt = performance.now();
  // The previous client may still be closing: wait for exactly one, subscribed.
  while (!(server.clientCount === 1 && server.subscribedClientCount === 1)) {
    if (performance.now() - armedAt > RUN_TIMEOUT_MS) throw new Error('no client subscribed');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  serving(); // the only client, subscribed: the one that logged in last
  const sentAt = new Float64Array(Math.floor(events / LATENCY_SAMPLE_EVERY) + 1);
  const latencies: number[] = [];
  let nextSample = 1;
  let published = 0;
  let maxBacklogBytes = 0;
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  return new Promise<ServerRun>((resolve, reject) => {
    const finish = (answered: number, extra: Partial<ServerRun> = {}) => {
      resolve({
        published,
        answered,
        seconds: (performance.now() - startedAt) / 1000,
        cpuSeconds: cpuSeconds(process.cpuUsage(cpuBefore)),
        latencies,
        maxBacklogBytes,
        ...extra,
      });
    };
    const step = () => {
      try {
        const now = performance.now();
        const closed = closedInfo();
        if (closed) {
          finish(Math.max(0, nextSample - 1) * LATENCY_SAMPLE_EVERY, { closed });
          return;
        }
        // In-order answers: everything up to `answered` has been answered.
        const answered = published - server.maxOutstandingRequests;
        while (nextSample * LATENCY_SAMPLE_EVERY <= answered) {
          latencies.push(now - sentAt[nextSample]);
          nextSample++;
        }
        if (answered >= events) {
          finish(answered);
          return;
        }
        if (now - startedAt > RUN_TIMEOUT_MS) {
          finish(answered, { timedOut: true });
          return;
        }
        const backlog = server.maxSubscriberBacklog;
        if (backlog > maxBacklogBytes) maxBacklogBytes = backlog;
        if (published < events && backlog <= PACE_BACKLOG_BYTES) {
          const end = Math.min(events, published + PUBLISH_BATCH);
          while (published < end) {
            const index = published % pool.length;
            const delivered = server.publish(pool[index], jsons[index]);
            if (delivered !== 1) throw new Error(`an event reached ${delivered} clients instead of 1`);
            published++;
            if (published % LATENCY_SAMPLE_EVERY === 0) sentAt[published / LATENCY_SAMPLE_EVERY] = performance.now();
          }
          // Runs after the connection's flush (queued first) and the next poll phase.
          setImmediate(step);
        } else {
          setTimeout(step, 1);
        }
      } catch (error) {
        reject(error);
      }
    };
    step();
  });
}

if (process.env[SERVER_FLAG] === '1' && require.main === module) {
  serverMain().catch((error: Error) => {
    process.send?.({ kind: 'error', message: error.stack ?? error.message });
    process.exit(1);
  });
}

// ---- helpers ----

function describeClosure(run: ServerRun): string {
  if (run.closed) return `closed by the server side with code ${run.closed.code} (${run.closed.reason}) after ${run.answered} answers`;
  if (run.timedOut) return `not done after ${RUN_TIMEOUT_MS / 1000} s (${run.answered} of ${run.published} answered)`;
  return 'connection kept';
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${(RUN_TIMEOUT_MS * 2) / 1000} s`)), RUN_TIMEOUT_MS * 2);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function heapAndBuffers(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function clientMicros(run: RunResult): number {
  return (run.client.cpuSeconds / run.client.events) * 1e6;
}

function serverMicros(run: RunResult): number {
  return (run.server.cpuSeconds / Math.max(1, run.server.answered)) * 1e6;
}

function cpuOf(run: RunResult): string {
  return `CPU ${percent(run.client.cpuSeconds / run.client.seconds)}, ${clientMicros(run).toFixed(1)} µs`;
}

function serverCpuOf(run: RunResult): string {
  return `CPU ${percent(run.server.cpuSeconds / run.server.seconds)}, ${serverMicros(run).toFixed(1)} µs`;
}

/** CPU time of the whole machine so far, ms: busy (user, nice, system, irq) and in all. */
function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const used = times.user + times.nice + times.sys + times.irq;
    busy += used;
    total += used + times.idle;
  }
  return { busy, total };
}

/** Share of the machine used by processes other than this one and the server since `before`. */
function otherLoadSince(before: { busy: number; total: number }, ownCpuSeconds: number): number {
  const after = machineTimes();
  const total = after.total - before.total;
  if (total <= 0) return 0;
  return Math.min(1, Math.max(0, (after.busy - before.busy - ownCpuSeconds * 1000) / total));
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function fixed(ms: number): string {
  return ms.toFixed(ms < 10 ? 1 : 0);
}

function rate(eventsPerSecond: number): string {
  return `${Math.round(eventsPerSecond).toLocaleString('en')} events/s`;
}

