// Serves a trace through the simulator's protocol layer (NkServiceServer): clients log in,
// subscribe and answer exactly as with a live NkSERVICE server, and receive the trace's events
// in the file's order, each to the clients whose subscriptions match it.
//
// Timing: the original gaps between events divided by `speed`, or none with `max`. Either way
// the replay never runs ahead of the clients: before each event it waits until every
// subscribed client has fewer than `window` requests unanswered. So a fast replay goes as fast
// as the slowest client answers, and no client is closed as too slow (nothing is lost).
//
// The server speaks the dialect the trace was recorded in (its header's `dialect`; option
// `dialect` overrides; a trace that names none is served as 2016-08): its login, event frames
// and codes. Develop events need no answer, so there the replay paces itself on the clients'
// send backlog instead. Snapshot commands find no live objects (empty lists).
//
// The file is streamed, never loaded whole. Markers are not replayed (a replay does not drop
// its clients' connections), nor the inspector's own records (types starting `inspector:`,
// e.g. snapshots it took on connect); bad lines are skipped and counted.
import * as path from 'path';
import { INSPECTOR_TYPE_PREFIX, isDialectId, type DialectId } from '../protocol/dialects';
import type { EventData } from '../protocol/frames';
import { nullLogger, type Logger } from '../shared/logger';
import { NkServiceServer, type ListeningAddress, type NkServiceServerOptions } from '../simulator/nkServiceServer';
import type { TraceHeader } from './traceFileFormat';
import { readTraceHeader, type InvalidLine } from './loadTrace';
import { TraceLineReader, throwIfCancelled } from './reader';
import { AnnotationLine, BadLine, isBlank, isMarkerLine, parseBodyLine, parseHeader } from './traceLines';

/** Requests a client may have unanswered before the replay waits for it. */
export const DEFAULT_REPLAY_WINDOW = 1000;
/** After the last event: how long to wait for the clients' last answers. */
const FINAL_ANSWERS_TIMEOUT_MS = 30_000;
/** Bad lines reported one by one in the log; the rest are only counted. */
const LOGGED_BAD_LINES = 20;
/** Events that need no answer (develop): wait while a client has this much unsent. */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;
/** The dialect of traces that name none: the seed reference's, as replays always were. */
export const DEFAULT_REPLAY_DIALECT: DialectId = '2016-08';

export interface TraceReplayOptions {
  filePath: string;
  /** Where and how to listen (default 127.0.0.1:9010, as the simulator); its `dialect` is ignored. */
  server?: NkServiceServerOptions;
  /** Serve in this dialect, whatever the trace says. */
  dialect?: DialectId;
  /** Original timing divided by this (default 1: real time). */
  speed?: number;
  /** No timing: as fast as the clients answer. */
  max?: boolean;
  window?: number;
  /** Start once this many clients have logged in and subscribed (default 1). */
  waitForClients?: number;
  maxLineBytes?: number;
  signal?: AbortSignal;
  logger?: Logger;
  /** Called now and then with the events published so far. */
  onProgress?: (published: number) => void;
}

export interface ReplaySummary {
  /** Events published (each to every client whose subscriptions match). */
  events: number;
  /** Deliveries: an event sent to two clients counts twice. */
  deliveries: number;
  invalidLineCount: number;
  invalidLines: InvalidLine[];
  /** The inspector's own records (types `inspector:…`) in the file, not sent. */
  inspectorRecords: number;
  seconds: number;
}

export class TraceReplayer {
  private serverValue: NkServiceServer;
  private dialectValue: DialectId;
  private readonly logger: Logger;
  private readonly speed: number;
  private readonly window: number;
  private header: TraceHeader | undefined;

  constructor(private readonly options: TraceReplayOptions) {
    const speed = options.speed ?? 1;
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, not ${speed}`);
    this.speed = speed;
    this.window = Math.max(1, Math.floor(options.window ?? DEFAULT_REPLAY_WINDOW));
    this.logger = options.logger ?? options.server?.logger ?? nullLogger;
    this.dialectValue = options.dialect ?? DEFAULT_REPLAY_DIALECT;
    this.serverValue = this.newServer();
  }

  /** The protocol server (re-made by start() when the trace names another dialect). */
  get server(): NkServiceServer {
    return this.serverValue;
  }

  /** The dialect served: the option's, the trace's, or 2016-08. Known once start() has read the header. */
  get dialect(): DialectId {
    return this.dialectValue;
  }

  private newServer(): NkServiceServer {
    return new NkServiceServer({ ...this.options.server, dialect: this.dialectValue, logger: this.logger });
  }

  /** The header, once start() has checked the file. */
  get traceHeader(): TraceHeader | undefined {
    return this.header;
  }

  /** Checks that the file is a readable trace, then listens. Rejects with a one-line error. */
  async start(): Promise<ListeningAddress> {
    this.header = await readTraceHeader(this.options.filePath, { maxLineBytes: this.options.maxLineBytes });
    const recorded = this.header.dialect;
    if (recorded !== undefined && !isDialectId(recorded)) this.logger.warn(`replay: the trace names an unknown dialect "${recorded}"; serving it as ${this.options.dialect ?? DEFAULT_REPLAY_DIALECT}`);
    const dialect = this.options.dialect ?? (isDialectId(recorded) ? recorded : DEFAULT_REPLAY_DIALECT);
    if (dialect !== this.dialectValue) {
      // Not listening yet: a server of the right era replaces the provisional one.
      this.dialectValue = dialect;
      this.serverValue = this.newServer();
    }
    return this.server.start();
  }

  /** Waits for the clients, replays the whole file, then waits for their last answers. */
  async run(): Promise<ReplaySummary> {
    const { signal } = this.options;
    await this.waitForSubscribers(signal);
    const started = performance.now();
    const summary: ReplaySummary = { events: 0, deliveries: 0, invalidLineCount: 0, invalidLines: [], inspectorRecords: 0, seconds: 0 };
    const reader = new TraceLineReader(this.options.filePath, { maxLineBytes: this.options.maxLineBytes, signal });
    let firstTs: number | undefined;
    let latestTs = -Infinity;
    let sawHeader = false;

    for await (const batch of reader.batches()) {
      let lineNumber = batch.firstLineNumber;
      for (const text of batch.lines) {
        const number = lineNumber++;
        if (!sawHeader) {
          parseHeader(text, path.basename(this.options.filePath));
          sawHeader = true;
          continue;
        }
        if (isBlank(text)) continue;
        const line = parseBodyLine(text);
        if (line instanceof BadLine) {
          this.badLine(summary, { line: number, reason: line.reason });
          continue;
        }
        // The server sent neither: replay serves only what it sent.
        if (line instanceof AnnotationLine || isMarkerLine(line)) continue;
        if (typeof line.event.type === 'string' && line.event.type.startsWith(INSPECTOR_TYPE_PREFIX)) {
          summary.inspectorRecords++;
          continue;
        }
        if (!this.options.max) {
          firstTs ??= line.ts;
          // Out-of-order times are sent at once: the file's order wins over its clock.
          latestTs = Math.max(latestTs, line.ts);
          await this.waitUntil(started + (latestTs - firstTs) / this.speed, signal);
        }
        await this.waitForRoom(signal);
        summary.deliveries += this.server.publish(line.event as EventData);
        summary.events++;
        if (summary.events % 1024 === 0) this.options.onProgress?.(summary.events);
      }
    }
    if (reader.stats.streamError) this.badLine(summary, { line: reader.stats.lines + 1, reason: reader.stats.streamError });
    await this.waitForAnswers(signal);
    this.options.onProgress?.(summary.events);
    summary.seconds = (performance.now() - started) / 1000;
    return summary;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private badLine(summary: ReplaySummary, invalid: InvalidLine): void {
    summary.invalidLineCount++;
    if (summary.invalidLines.length < 10_000) summary.invalidLines.push(invalid);
    if (summary.invalidLineCount <= LOGGED_BAD_LINES) this.logger.warn(`replay: line ${invalid.line} skipped: ${invalid.reason}`);
  }

  private async waitForSubscribers(signal: AbortSignal | undefined): Promise<void> {
    const wanted = Math.max(1, this.options.waitForClients ?? 1);
    while (this.server.subscribedClientCount < wanted) {
      throwIfCancelled(signal);
      await sleep(20);
    }
  }

  /** Until every subscribed client has room in its window (or has gone). */
  private async waitForRoom(signal: AbortSignal | undefined): Promise<void> {
    for (let spins = 0; this.server.maxOutstandingRequests >= this.window || this.server.maxSubscriberBacklog > MAX_BACKLOG_BYTES; spins++) {
      throwIfCancelled(signal);
      // setImmediate lets the answers in at once; past a few hundred spins the client is slow: poll gently.
      await (spins < 200 ? nextTurn() : sleep(2));
    }
  }

  private async waitUntil(target: number, signal: AbortSignal | undefined): Promise<void> {
    for (let now = performance.now(); now < target - 0.5; now = performance.now()) {
      throwIfCancelled(signal);
      await sleep(Math.min(target - now, 50));
    }
  }

  private async waitForAnswers(signal: AbortSignal | undefined): Promise<void> {
    const deadline = performance.now() + FINAL_ANSWERS_TIMEOUT_MS;
    // Answers in 2016; on develop, where events have no answer, until the clients took everything sent.
    const pending = () => (this.server.eventsNeedAnswers ? this.server.maxOutstandingRequests : this.server.maxSubscriberBacklog);
    while (pending() > 0 && performance.now() < deadline) {
      throwIfCancelled(signal);
      await sleep(5);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
