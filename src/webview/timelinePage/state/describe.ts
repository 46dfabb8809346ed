// What the screen reader says about a row or a mark: the same facts the canvas draws
// (state, end, code, anomalies), as one sentence. Pure: tested in Node.
import type { Lane, TimelineEventType } from '../../../shared/timelineProtocol';
import { GROUP_LABELS, type LaneModel } from '../data/laneModel';
import type { MarkStore } from '../data/markStore';
import type { RowLayout } from './layout';
import { preciseTime } from './ticks';

/** "session 1a2b3c4d": the kind and the start of the id, as the labels show it. */
export function laneName(lane: Pick<Lane, 'kind' | 'objId'>): string {
  return `${lane.kind} ${lane.objId.slice(0, 8)}`;
}

export function describeRow(layout: RowLayout, index: number): string {
  const row = layout.rows[index];
  if (!row) return '';
  const position = `row ${index + 1} of ${layout.rows.length}`;
  if (row.kind === 'group') return `${GROUP_LABELS[row.group]} group, ${row.count} objects, ${row.collapsed ? 'collapsed' : 'expanded'}, ${position}.`;
  if (row.kind === 'member') {
    const member = row.lane.members[row.member];
    return `${member.role} ${member.user ?? ''} ${member.sessionId.slice(0, 8)} in room ${row.lane.objId.slice(0, 8)}, ${position}.`;
  }
  return `${describeLane(row.lane)}, ${position}.`;
}

/** State, end (code and reason), events and anomalies of one object. */
export function describeLane(lane: Lane): string {
  const code = lane.code !== undefined ? ` with code ${lane.code}` : '';
  const end = lane.endTs === undefined ? 'still alive' : `ended${code}${lane.reason ? ` (${lane.reason})` : ''}`;
  const count = lane.anomalies.length;
  const anomalies = count > 0 ? `, ${count} anomal${count === 1 ? 'y' : 'ies'}: ${lane.anomalies.map((a) => a.message).join('; ')}` : '';
  return `${laneName(lane)} ${lane.state}, ${end}, ${lane.eventCount} events${anomalies}`;
}

export function describeMark(marks: MarkStore, lanes: LaneModel, types: readonly TimelineEventType[], position: number): string {
  const type = types[marks.typeAt(position)];
  const lane = lanes.get(marks.laneAt(position));
  const what = type ? `${type.type || type.name} event` : 'event';
  const of = lane ? ` of ${laneName(lane)}` : '';
  return `${what}${of} at ${preciseTime(marks.tsAt(position))}`;
}
