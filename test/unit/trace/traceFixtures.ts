// Shared by the trace tests: temporary folders, small hand-made traces, and recordings of the
// simulator through a real NkServiceClient.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { EventStore, ObjectState } from '../../../src/core';
import { NkServiceClient } from '../../../src/protocol/client';
import type { EventData, Subscription } from '../../../src/protocol/frames';
import { makeHeader } from '../../../src/trace/traceFileFormat';
import { TraceWriter } from '../../../src/trace/writer';

const made: string[] = [];

/** A fresh temporary folder, removed by `removeTempDirs`. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-trace-'));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export const HEADER_LINE = JSON.stringify(makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: 'admin' }, created: new Date(Date.UTC(2026, 10, 28, 3, 12, 45)) }));

export function eventLine(seq: number, ts: number, event: EventData, conn?: string): string {
  return JSON.stringify({ seq, ts, ...(conn === undefined ? {} : { conn }), event });
}

/** Writes lines (a header first unless given) and returns the path. */
export function writeLines(dir: string, name: string, lines: string[], ending = '\n'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join(ending) + ending);
  return file;
}

/** A small, complete story: a room with a publisher and a listener, a call, a session. */
export function storyEvents(): EventData[] {
  return [
    { class: 'media', subclass: 'room', type: 'started', obj_id: 'room-1', body: { class: 'sfu', backend: 'nkmedia_janus' } },
    { class: 'media', subclass: 'session', type: 'answer', obj_id: 'pub-1', body: { answer: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } },
    { class: 'media', subclass: 'room', type: 'started_publisher', obj_id: 'room-1', body: { session_id: 'pub-1', user: 'alice@nkmedia' } },
    { class: 'media', subclass: 'session', type: 'answer', obj_id: 'lis-1', body: { answer: 'v=0\r\n' } },
    { class: 'media', subclass: 'room', type: 'started_listener', obj_id: 'room-1', body: { session_id: 'lis-1', user: 'bob@nkmedia', peer: 'pub-1' } },
    { class: 'media', subclass: 'call', type: 'ringing', obj_id: 'call-1', body: {} },
    { class: 'media', subclass: 'call', type: 'hangup', obj_id: 'call-1', body: { code: 2025, reason: 'Originator cancel' } },
    { class: 'media', subclass: 'room', type: 'stopped_listener', obj_id: 'room-1', body: { session_id: 'lis-1', user: 'bob@nkmedia' } },
    { class: 'media', subclass: 'session', type: 'stop', obj_id: 'lis-1', body: { code: 0, reason: 'User stop' } },
    { class: 'media', subclass: 'room', type: 'stopped_publisher', obj_id: 'room-1', body: { session_id: 'pub-1', user: 'alice@nkmedia' } },
    { class: 'media', subclass: 'session', type: 'stop', obj_id: 'pub-1', body: { code: 2202, reason: 'Janus op process down' } },
    { class: 'media', subclass: 'room', type: 'destroyed', obj_id: 'room-1', body: { code: 0, reason: 'User stop' } },
    { class: 'media', subclass: 'session', type: 'answer', obj_id: 'open-1', body: { answer: 'v=0\r\n', janus_handle: 42 }, extra_field: 'kept' },
  ];
}

/** The story as a trace file. */
export async function writeStoryTrace(file: string, startTs = 1_764_299_565_000): Promise<EventData[]> {
  const events = storyEvents();
  const writer = new TraceWriter(file, makeHeader({ source: { url: 'ws://127.0.0.1:9010', user: 'admin', name: 'story' } }));
  writer.writeMarker({ marker: 'connect', ts: startTs });
  events.forEach((event, i) => writer.writeEvent(i + 1, startTs + i * 10, event));
  await writer.close();
  return events;
}

export interface Recording {
  events: Array<{ ts: number; data: EventData }>;
}

/**
 * Connects a real client to an NkSERVICE server (the simulator, a replayer) and records the
 * events it receives until `enough` says so, or `timeoutMs` passes (then it fails).
 */
export async function record(url: string, enough: (events: number) => boolean, options: { subscriptions?: Subscription[]; timeoutMs?: number } = {}): Promise<Recording> {
  const client = new NkServiceClient({ url, user: 'admin', password: 'admin', reconnect: false, liveness: false, subscriptions: options.subscriptions });
  const events: Recording['events'] = [];
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  client.onEvent((e) => {
    events.push({ ts: e.ts, data: e.data });
    if (enough(events.length)) resolveDone();
  });
  try {
    await client.connect();
    const timeoutMs = options.timeoutMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`recorded only ${events.length} events in ${timeoutMs} ms`)), timeoutMs)));
    try {
      await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await client.disconnect();
    client.dispose();
  }
  return { events };
}

/** Writes a recording as a trace file, as the recorder does. */
export async function writeRecording(file: string, recording: Recording): Promise<void> {
  const writer = new TraceWriter(file, makeHeader({ source: { url: 'ws://127.0.0.1:1', user: 'admin' } }));
  recording.events.forEach((e, i) => writer.writeEvent(i + 1, e.ts, e.data));
  await writer.close();
}

/** Every public field of an object's state, in a form deepEqual can compare. */
export function objectSnapshot(object: ObjectState): Record<string, unknown> {
  return {
    key: object.key,
    index: object.index,
    kind: object.kind,
    class: object.class,
    subclass: object.subclass,
    objId: object.objId,
    conn: object.conn,
    firstTs: object.firstTs,
    lastTs: object.lastTs,
    eventCount: object.eventCount,
    state: object.state,
    ended: object.ended,
    endTs: object.endTs,
    code: object.code,
    reason: object.reason,
    sessionType: object.sessionType,
    user: object.user,
    roomClass: object.roomClass,
    backend: object.backend,
    publishers: [...object.publishers.entries()],
    listeners: [...object.listeners.entries()],
    roomKeys: [...object.roomKeys],
    endVerdict: object.endVerdict,
    fromSnapshot: object.fromSnapshot,
    role: object.role,
    peer: object.peer,
    anomalies: object.anomalies.map((a) => ({ ...a })),
  };
}

/** Every stored event as (seq, ts, conn, data, objectKey). */
export function eventSnapshot(store: EventStore): unknown[] {
  const events: unknown[] = [];
  for (let seq = store.firstSeq; seq <= store.lastSeq; seq++) {
    const event = store.getEvent(seq);
    if (event) events.push({ seq: event.seq, ts: event.ts, conn: event.conn, data: event.data, objectKey: event.objectKey });
  }
  return events;
}

export interface CapturedIo {
  stdout(s: string): void;
  stderr(s: string): void;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  out: string;
  err: string;
}

export function captureIo(signal?: AbortSignal): CapturedIo {
  const io: CapturedIo = {
    out: '',
    err: '',
    env: {},
    signal,
    stdout: (s) => void (io.out += s),
    stderr: (s) => void (io.err += s),
  };
  return io;
}
