// On connect, lists the sessions, rooms and collab calls that already exist and reads each one,
// so that objects begun before we connected appear with their state and members (they are
// stored as `inspector:snapshot` records: src/core/snapshot.ts reads them). The commands are
// the era's: `list` / `info` until late Sep / Oct 2016, `get_list` / `get_info` after
// (docs/protocol.md, "Snapshots"). The era's names are tried first, then the others: a server
// answers a name it lacks with unknown_command.
import type { Dialect, SnapshotCommands } from './dialects';
import type { RequestFn } from './handshake';
import { RequestError } from './pendingRequests';

export interface SnapshotEntry {
  class: string;
  subclass: string;
  objId: string;
  /** The info reply's data, as received. */
  body: Record<string, unknown>;
}

export interface SnapshotSummary {
  /** Objects read, per `class/subclass`. */
  read: Record<string, number>;
  /** Listed but not read: past the limit, or their info failed (they may have ended meanwhile). */
  skipped: number;
  /** `class/subclass` the server has no snapshot command for (or refused). */
  unavailable: string[];
}

/** Commands to try when the era is not known, per object kind: newest names first. */
const ANY_ERA_COMMANDS: ReadonlyArray<readonly SnapshotCommands[]> = [
  [
    { class: 'media', subclass: 'session', list: 'get_list', info: 'get_info', idField: 'session_id' },
    { class: 'media', subclass: 'session', list: 'list', info: 'info', idField: 'session_id' },
  ],
  [
    { class: 'media', subclass: 'room', list: 'get_list', info: 'get_info', idField: 'room_id' },
    { class: 'media', subclass: 'room', list: 'list', info: 'info', idField: 'room_id' },
  ],
  [{ class: 'collab', subclass: 'room', list: 'get_list', info: 'get_info', idField: 'room_id' }],
  [{ class: 'collab', subclass: 'call', list: 'get_list', info: 'get_info', idField: 'call_id' }],
];

/** Reading thousands of objects one request each must not crowd out the events: a few at a time. */
const CONCURRENT_INFOS = 4;
export const DEFAULT_SNAPSHOT_LIMIT = 2000;

export async function takeSnapshot(
  request: RequestFn,
  dialect: Dialect | undefined,
  emit: (entry: SnapshotEntry) => void,
  limit = DEFAULT_SNAPSHOT_LIMIT,
): Promise<SnapshotSummary> {
  const summary: SnapshotSummary = { read: {}, skipped: 0, unavailable: [] };
  // The era's names first; the others after them, for a server that is not quite what it seemed.
  const groups = dialect
    ? dialect.snapshots.map((commands) => [commands, ...othersFor(commands)])
    : ANY_ERA_COMMANDS;
  let budget = limit;
  for (const candidates of groups) {
    const listed = await listWithFirstWorking(request, candidates);
    const name = `${candidates[0].class}/${candidates[0].subclass}`;
    if (!listed) {
      summary.unavailable.push(name);
      continue;
    }
    const ids = listed.ids.slice(0, Math.max(0, budget));
    summary.skipped += listed.ids.length - ids.length;
    budget -= ids.length;
    let read = 0;
    for (let i = 0; i < ids.length; i += CONCURRENT_INFOS) {
      const batch = ids.slice(i, i + CONCURRENT_INFOS);
      const replies = await Promise.allSettled(batch.map((id) => request(listed.commands.class, listed.commands.subclass, listed.commands.info, { [listed.idField]: id })));
      replies.forEach((reply, j) => {
        const data = reply.status === 'fulfilled' ? reply.value.data : undefined;
        if (isObject(data)) {
          emit({ class: listed.commands.class, subclass: listed.commands.subclass, objId: batch[j], body: data });
          read++;
        } else {
          summary.skipped++;
        }
      });
    }
    summary.read[name] = read;
  }
  return summary;
}

function othersFor(commands: SnapshotCommands): SnapshotCommands[] {
  const group = ANY_ERA_COMMANDS.find((candidates) => candidates[0].class === commands.class && candidates[0].subclass === commands.subclass) ?? [];
  return group.filter((other) => other.list !== commands.list);
}

interface Listed {
  commands: SnapshotCommands;
  idField: string;
  ids: string[];
}

async function listWithFirstWorking(request: RequestFn, candidates: readonly SnapshotCommands[]): Promise<Listed | undefined> {
  for (const commands of candidates) {
    try {
      const response = await request(commands.class, commands.subclass, commands.list);
      const data = response.data;
      // July 2016 rooms list as {ids: [...]} and read by {id} (nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_api.erl:61-75).
      if (isObject(data) && Array.isArray(data.ids)) return { commands, idField: 'id', ids: data.ids.filter((id): id is string => typeof id === 'string') };
      return { commands, idField: commands.idField, ids: idsOf(data, commands.idField) };
    } catch (error) {
      // unknown_command, unauthorized…: try the next name, if any. A drop ends the snapshot.
      if (!(error instanceof RequestError)) throw error;
    }
  }
  return undefined;
}

/** The ids of a list reply: `[{session_id: …}]`, `[{room_id, class}]`, `[id, …]`; an empty list may come as no data. */
function idsOf(data: unknown, idField: string): string[] {
  if (!Array.isArray(data)) return [];
  const ids: string[] = [];
  for (const item of data) {
    if (typeof item === 'string') ids.push(item);
    else if (isObject(item) && typeof item[idField] === 'string') ids.push(item[idField] as string);
  }
  return ids;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
