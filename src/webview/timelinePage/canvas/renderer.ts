// Draws one frame on the canvas: only the rows and the time range in view, marks merged per
// pixel column where they are denser than pixels, and marks of one colour filled as one
// path (a few fill calls per frame instead of one per mark). Event content never reaches
// the DOM from here: canvas text is pixels.
import type { ConnectionSpan, HealthPoint, Lane } from '../../../shared/timelineProtocol';
import { forEachColumn, sampleIndexes } from '../data/levelOfDetail';
import type { LaneModel } from '../data/laneModel';
import { AXIS_HEIGHT, AXIS_LABEL_HEIGHT, GUTTER_WIDTH, plotHeightOf, plotWidthOf } from '../state/geometry';
import { LANE_ROW_HEIGHT, visibleRows, type Row, type RowLayout } from '../state/layout';
import type { LaneMarks, MarkStore } from '../data/markStore';
import type { Palette } from '../theme/palette';
import { ticks } from '../state/ticks';
import { COLOR_ROLES, rolePriority, type ColorRole } from '../theme/typeColors';
import { xAtTime, type TimeView } from '../state/viewport';
import { drawHealthStrip, healthLabel } from './healthStrip';
import { drawLabel, endColor } from './labels';

const MARK_HALF_HEIGHT = 6;
const BAR_HALF_HEIGHT = 3;
const MAX_LINKS_PER_FRAME = 2000;

export interface RenderInput {
  readonly width: number;
  readonly height: number;
  readonly view: TimeView;
  readonly scrollTop: number;
  readonly layout: RowLayout;
  readonly lanes: LaneModel;
  readonly marks: MarkStore;
  /** Role per type index. */
  readonly roles: readonly ColorRole[];
  readonly palette: Palette;
  /** Where the bars of live objects end: now (growing) or the end of the data. */
  readonly aliveEnd: number;
  readonly connection: readonly ConnectionSpan[];
  /** Connection health windows, for the strip under the axis. */
  readonly health: readonly HealthPoint[];
  readonly selectedPosition: number;
  readonly focusedRow: number;
  readonly hoverRow: number;
  readonly relativeOrigin?: number;
  readonly brush?: { readonly from: number; readonly to: number };
  readonly iconsReady: boolean;
  /** Listener lanes by the object key of the publisher they watch. */
  readonly listenersOf: ReadonlyMap<string, readonly Lane[]>;
}

/** Reused between frames to avoid garbage: x,y pairs of marks per colour role. */
const markBuffers = new Map<ColorRole, number[]>(COLOR_ROLES.map((r) => [r, []]));

export function drawFrame(ctx: CanvasRenderingContext2D, input: RenderInput): void {
  const { width, height, palette } = input;
  const plotX = GUTTER_WIDTH;
  const plotW = plotWidthOf(input);
  const plotTop = AXIS_HEIGHT;
  const plotH = plotHeightOf(input);
  const font = `${palette.fontSize}px ${palette.font}`;
  const smallFont = `${palette.fontSize - 2}px ${palette.font}`;

  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, width, height);

  const { layout, scrollTop } = input;
  const { first, last } = visibleRows(layout, scrollTop, plotH);
  const rowY = (index: number) => plotTop + layout.tops[index] - scrollTop;
  const timeX = (ts: number) => plotX + xAtTime(input.view, ts, plotW);

  // ---- plot area (clipped) ----
  ctx.save();
  ctx.beginPath();
  ctx.rect(plotX, plotTop, plotW, plotH);
  ctx.clip();

  // Connection gaps, shaded over every row.
  ctx.fillStyle = palette.gap;
  ctx.globalAlpha = 0.14;
  for (const span of input.connection) {
    const x1 = timeX(span.from);
    const x2 = timeX(span.to ?? input.aliveEnd);
    if (x2 < plotX || x1 > plotX + plotW) continue;
    ctx.fillRect(x1, plotTop, Math.max(2, x2 - x1), plotH);
  }
  ctx.globalAlpha = 1;

  // Grid lines of the axis ticks.
  const axisTicks = ticks(input.view.start, input.view.end, plotW, input.relativeOrigin);
  ctx.strokeStyle = palette.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const tick of axisTicks) {
    const x = Math.round(timeX(tick.ts)) + 0.5;
    ctx.moveTo(x, plotTop);
    ctx.lineTo(x, plotTop + plotH);
  }
  ctx.stroke();

  for (const buffer of markBuffers.values()) buffer.length = 0;
  const msPerPx = (input.view.end - input.view.start) / plotW;

  for (let i = first; i <= last; i++) {
    const row = layout.rows[i];
    const y = rowY(i);
    const h = layout.tops[i + 1] - layout.tops[i];
    if (i === input.focusedRow || i === input.hoverRow) {
      ctx.fillStyle = i === input.focusedRow ? palette.selection : palette.hover;
      ctx.fillRect(plotX, y, plotW, h);
    }
    if (row.kind === 'group') {
      ctx.fillStyle = palette.groupBackground;
      ctx.fillRect(plotX, y, plotW, h);
      continue;
    }
    const mid = y + h / 2;
    if (row.kind === 'member') {
      drawMemberBar(ctx, input, row, mid, timeX);
      continue;
    }
    drawLaneBar(ctx, input, row.lane, mid, timeX, plotX + plotW, smallFont);
    const laneMarks = input.marks.laneMarks(row.lane.id);
    if (laneMarks) collectMarks(input, laneMarks, mid, plotX, msPerPx);
  }

  // Marks, one path per colour. Each gets a 1 px halo of the background first, so that a
  // mark keeps its edge on a bar of a similar colour (orange "member left" marks all but
  // vanished on the grey lifetime bar in Light and Dark Modern).
  for (const role of COLOR_ROLES) {
    const buffer = markBuffers.get(role) as number[];
    if (buffer.length === 0) continue;
    ctx.fillStyle = palette.roles[role];
    ctx.beginPath();
    for (let k = 0; k < buffer.length; k += 3) {
      const w = buffer[k + 2];
      ctx.rect(buffer[k] - w / 2, buffer[k + 1] - MARK_HALF_HEIGHT, w, MARK_HALF_HEIGHT * 2);
    }
    ctx.lineWidth = 2;
    ctx.strokeStyle = palette.background;
    ctx.stroke();
    ctx.fill();
    if (palette.contrastBorder) {
      ctx.lineWidth = 1;
      ctx.strokeStyle = palette.contrastBorder;
      ctx.stroke();
    }
  }
  ctx.lineWidth = 1;

  // Anomalies: a small triangle above the lane at the time it was found.
  for (let i = first; i <= last; i++) {
    const row = layout.rows[i];
    if (row.kind !== 'lane' || row.lane.anomalies.length === 0) continue;
    const top = rowY(i) + 1;
    for (const anomaly of row.lane.anomalies) {
      const x = timeX(anomaly.ts);
      if (x < plotX - 6 || x > plotX + plotW + 6) continue;
      ctx.fillStyle = anomaly.kind === 'fault-end' || anomaly.kind === 'hangup-before-answer' ? palette.error : palette.warning;
      ctx.beginPath();
      ctx.moveTo(x, top + 7);
      ctx.lineTo(x - 4, top);
      ctx.lineTo(x + 4, top);
      ctx.closePath();
      ctx.fill();
    }
  }

  drawNotes(ctx, input, first, last, rowY, timeX);

  drawLinks(ctx, input, first, last, rowY, timeX, plotTop, plotH);

  // The selected mark: a ring in the focus colour.
  if (input.selectedPosition >= 0) {
    const laneId = input.marks.laneAt(input.selectedPosition);
    const index = layout.rowOfLane.get(laneId);
    if (index !== undefined && index >= first && index <= last) {
      const x = timeX(input.marks.tsAt(input.selectedPosition));
      const mid = rowY(index) + (layout.tops[index + 1] - layout.tops[index]) / 2;
      ctx.strokeStyle = palette.focus;
      ctx.lineWidth = 2;
      ctx.strokeRect(x - 4, mid - MARK_HALF_HEIGHT - 3, 8, MARK_HALF_HEIGHT * 2 + 6);
      ctx.lineWidth = 1;
    }
  }

  if (input.brush) {
    const x1 = timeX(Math.min(input.brush.from, input.brush.to));
    const x2 = timeX(Math.max(input.brush.from, input.brush.to));
    ctx.fillStyle = palette.focus;
    ctx.globalAlpha = 0.2;
    ctx.fillRect(x1, plotTop, x2 - x1, plotH);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = palette.focus;
    ctx.strokeRect(x1 + 0.5, plotTop + 0.5, x2 - x1, plotH - 1);
  }
  ctx.restore();

  // ---- axis ----
  ctx.fillStyle = palette.background;
  ctx.fillRect(plotX, 0, plotW, AXIS_HEIGHT);
  ctx.strokeStyle = palette.grid;
  ctx.beginPath();
  ctx.moveTo(0, AXIS_HEIGHT - 0.5);
  ctx.lineTo(width, AXIS_HEIGHT - 0.5);
  ctx.stroke();
  ctx.save();
  ctx.beginPath();
  ctx.rect(plotX, 0, plotW, AXIS_HEIGHT);
  ctx.clip();
  ctx.font = smallFont;
  ctx.fillStyle = palette.muted;
  ctx.textBaseline = 'middle';
  for (const tick of axisTicks) ctx.fillText(tick.label, timeX(tick.ts) + 3, AXIS_LABEL_HEIGHT / 2);
  // Gap labels on the axis, where there is room.
  ctx.fillStyle = palette.warning;
  for (const span of input.connection) {
    const x1 = Math.max(plotX, timeX(span.from));
    const x2 = timeX(span.to ?? input.aliveEnd);
    if (x2 - x1 > 90) ctx.fillText('connection lost', x1 + 3, AXIS_LABEL_HEIGHT / 2);
  }
  ctx.restore();
  drawHealthStrip(ctx, input.health, input.connection, palette, timeX, plotX, plotW);

  // ---- gutter (labels) ----
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, GUTTER_WIDTH, height);
  ctx.font = smallFont;
  ctx.fillStyle = palette.muted;
  ctx.textBaseline = 'middle';
  ctx.fillText(input.relativeOrigin === undefined ? 'time' : 'time (relative)', 8, AXIS_LABEL_HEIGHT / 2);
  ctx.fillText(healthLabel(input.health), 8, (AXIS_LABEL_HEIGHT + AXIS_HEIGHT) / 2);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, plotTop, GUTTER_WIDTH - 4, plotH);
  ctx.clip();
  for (let i = first; i <= last; i++) drawLabel(ctx, input, layout.rows[i], i, rowY(i), layout.tops[i + 1] - layout.tops[i], font, smallFont);
  ctx.restore();
  ctx.strokeStyle = palette.contrastBorder || palette.grid;
  ctx.beginPath();
  ctx.moveTo(GUTTER_WIDTH - 0.5, 0);
  ctx.lineTo(GUTTER_WIDTH - 0.5, height);
  ctx.stroke();
}

function collectMarks(input: RenderInput, laneMarks: LaneMarks, mid: number, plotX: number, msPerPx: number): void {
  const { marks, roles, view } = input;
  forEachColumn(laneMarks, view.start, view.end, msPerPx, (column, firstIndex, count) => {
    let role: ColorRole;
    if (count === 1) {
      role = roles[marks.typeAt(laneMarks.positionAt(firstIndex))] ?? 'other';
    } else {
      role = 'other';
      let best = 0;
      for (const k of sampleIndexes(firstIndex, count)) {
        const r = roles[marks.typeAt(laneMarks.positionAt(k))] ?? 'other';
        const p = rolePriority(r);
        if (p > best) {
          best = p;
          role = r;
        }
      }
    }
    const buffer = markBuffers.get(role) as number[];
    // One pixel column per mark; single marks are drawn wider so they stay visible.
    buffer.push(plotX + column + 0.5, mid, count === 1 ? 3 : 2);
  });
}

/** The user's notes: a small flag (a pole and a pennant) under the lane at the note's time. */
function drawNotes(ctx: CanvasRenderingContext2D, input: RenderInput, first: number, last: number, rowY: (index: number) => number, timeX: (ts: number) => number): void {
  const plotX = GUTTER_WIDTH;
  const plotW = plotWidthOf(input);
  ctx.fillStyle = input.palette.focus;
  ctx.strokeStyle = input.palette.focus;
  ctx.lineWidth = 1;
  for (let i = first; i <= last; i++) {
    const row = input.layout.rows[i];
    if (row.kind !== 'lane' || !row.lane.notes) continue;
    const bottom = rowY(i) + LANE_ROW_HEIGHT - 1;
    for (const note of row.lane.notes) {
      const x = Math.round(timeX(note.ts)) + 0.5;
      if (x < plotX - 6 || x > plotX + plotW + 6) continue;
      ctx.beginPath();
      ctx.moveTo(x, bottom);
      ctx.lineTo(x, bottom - 8);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x, bottom - 8);
      ctx.lineTo(x + 5, bottom - 6);
      ctx.lineTo(x, bottom - 4);
      ctx.closePath();
      ctx.fill();
    }
  }
}

function drawLaneBar(ctx: CanvasRenderingContext2D, input: RenderInput, lane: Lane, mid: number, timeX: (ts: number) => number, plotRight: number, smallFont: string): void {
  const { palette } = input;
  const alive = lane.endTs === undefined;
  const x1 = timeX(lane.startTs);
  const x2 = timeX(alive ? Math.max(input.aliveEnd, lane.lastTs) : (lane.endTs as number));
  if (x2 < 0 || x1 > plotRight) return;
  ctx.fillStyle = alive ? palette.barAlive : palette.bar;
  ctx.globalAlpha = alive ? 0.55 : 0.8;
  ctx.fillRect(x1, mid - BAR_HALF_HEIGHT, Math.max(1, x2 - x1), BAR_HALF_HEIGHT * 2);
  ctx.globalAlpha = 1;
  if (alive) {
    // Open end: an arrow head says "still running".
    ctx.fillStyle = palette.barAlive;
    ctx.beginPath();
    ctx.moveTo(x2 + 6, mid);
    ctx.lineTo(x2, mid - 5);
    ctx.lineTo(x2, mid + 5);
    ctx.closePath();
    ctx.fill();
    return;
  }
  // The end code and reason, just after the bar.
  if (lane.code !== undefined || lane.reason) {
    const text = [lane.code, lane.reason].filter((p) => p !== undefined && p !== '').join(' ');
    if (x2 + 6 < plotRight) {
      ctx.font = smallFont;
      ctx.textBaseline = 'middle';
      ctx.fillStyle = endColor(lane, palette);
      ctx.fillText(text, x2 + 6, mid);
    }
  }
}

function drawMemberBar(ctx: CanvasRenderingContext2D, input: RenderInput, row: Extract<Row, { kind: 'member' }>, mid: number, timeX: (ts: number) => number): void {
  const room = row.lane;
  const member = room.members[row.member];
  const roomEnd = room.endTs ?? Math.max(input.aliveEnd, room.lastTs);
  const x1 = timeX(member.joinedTs ?? room.startTs);
  const x2 = timeX(member.leftTs ?? roomEnd);
  ctx.fillStyle = member.role === 'publisher' ? input.palette.publisher : input.palette.listener;
  ctx.globalAlpha = 0.7;
  ctx.fillRect(x1, mid - 2, Math.max(1, x2 - x1), 4);
  ctx.globalAlpha = 1;
}

function drawLinks(
  ctx: CanvasRenderingContext2D,
  input: RenderInput,
  first: number,
  last: number,
  rowY: (index: number) => number,
  timeX: (ts: number) => number,
  plotTop: number,
  plotH: number,
): void {
  const { layout, lanes, palette } = input;
  const middleOf = (index: number) => rowY(index) + (layout.tops[index + 1] - layout.tops[index]) / 2;
  const clampY = (y: number) => Math.max(plotTop + 2, Math.min(plotTop + plotH - 2, y));
  let drawn = 0;
  ctx.strokeStyle = palette.link;
  ctx.fillStyle = palette.link;
  ctx.lineWidth = 1;
  ctx.globalAlpha = 0.8;
  const link = (listener: Lane, fromY: number, toY: number, ts: number) => {
    const x = timeX(ts);
    const endY = clampY(toY);
    ctx.beginPath();
    ctx.moveTo(x, clampY(fromY));
    ctx.bezierCurveTo(x + 14, clampY(fromY), x + 14, endY, x, endY);
    ctx.stroke();
    // Arrow head at the publisher's end.
    const dir = toY < fromY ? 1 : -1;
    ctx.beginPath();
    ctx.moveTo(x, endY);
    ctx.lineTo(x + 3, endY + 5 * dir);
    ctx.lineTo(x + 6, endY + 1 * dir);
    ctx.closePath();
    ctx.fill();
    void listener;
    drawn++;
  };
  for (let i = first; i <= last && drawn < MAX_LINKS_PER_FRAME; i++) {
    const row = layout.rows[i];
    if (row.kind === 'lane' && row.lane.peerKey) {
      const publisher = lanes.getByKey(row.lane.peerKey);
      const target = publisher ? layout.rowOfLane.get(publisher.id) : undefined;
      if (target !== undefined) link(row.lane, middleOf(i), middleOf(target), row.lane.startTs);
    } else if (row.kind === 'lane') {
      // A visible publisher whose listeners are out of view still shows where they are.
      for (const listener of input.listenersOf.get(row.lane.key) ?? []) {
        const from = layout.rowOfLane.get(listener.id);
        if (from === undefined || (from >= first && from <= last)) continue;
        link(listener, middleOf(from), middleOf(i), listener.startTs);
      }
    } else if (row.kind === 'member' && row.lane.members[row.member].role === 'listener') {
      // Inside a room: from a listener member to the publisher member it watches.
      const member = row.lane.members[row.member];
      const offset = row.lane.members.findIndex((m) => m.role === 'publisher' && m.sessionId === member.peer);
      if (offset >= 0) {
        const target = i - row.member + offset;
        link(row.lane, middleOf(i), middleOf(target), member.joinedTs ?? row.lane.startTs);
      }
    }
  }
  ctx.globalAlpha = 1;
}
