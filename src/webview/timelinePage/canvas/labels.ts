// The labels column (the gutter): group headers with their counts, object names with state
// and detail cut to fit, room members with their role arrows, and the fault or anomaly sign.
import { GROUP_LABELS } from '../data/laneModel';
import type { Lane } from '../../../shared/timelineProtocol';
import { GUTTER_WIDTH } from '../state/geometry';
import type { Row } from '../state/layout';
import type { Palette } from '../theme/palette';
import type { RenderInput } from './renderer';

const CODICON = { chevronRight: '\ueab6', chevronDown: '\ueab4', warning: '\uea6c', error: '\uea87' };

export function drawLabel(ctx: CanvasRenderingContext2D, input: RenderInput, row: Row, index: number, y: number, h: number, font: string, smallFont: string): void {
  const { palette } = input;
  const mid = y + h / 2;
  if (index === input.focusedRow) {
    ctx.fillStyle = palette.selection;
    ctx.fillRect(0, y, GUTTER_WIDTH, h);
  }
  ctx.textBaseline = 'middle';
  if (row.kind === 'group') {
    ctx.fillStyle = palette.groupBackground;
    if (index !== input.focusedRow) ctx.fillRect(0, y, GUTTER_WIDTH, h);
    icon(ctx, input, row.collapsed ? CODICON.chevronRight : CODICON.chevronDown, row.collapsed ? '▸' : '▾', 4, mid, palette.groupForeground);
    ctx.font = `600 ${font}`;
    ctx.fillStyle = palette.groupForeground;
    ctx.fillText(`${GROUP_LABELS[row.group]} (${row.count})`, 24, mid);
    return;
  }
  if (row.kind === 'member') {
    const member = row.lane.members[row.member];
    ctx.font = smallFont;
    ctx.fillStyle = member.role === 'publisher' ? palette.publisher : palette.listener;
    ctx.fillText(member.role === 'publisher' ? '↑' : '↓', 30, mid);
    ctx.fillStyle = palette.muted;
    ctx.fillText(fitText(ctx, `${member.user ?? member.role} ${member.sessionId.slice(0, 8)}`, GUTTER_WIDTH - 46), 42, mid);
    return;
  }
  const lane = row.lane;
  if (lane.members.length > 0) icon(ctx, input, row.collapsed ? CODICON.chevronRight : CODICON.chevronDown, row.collapsed ? '▸' : '▾', 12, mid, palette.muted);
  ctx.font = font;
  ctx.fillStyle = palette.foreground;
  const name = lane.kind === 'other' ? `${lane.what} ${lane.objId.slice(0, 8) || '(none)'}` : lane.objId.slice(0, 8);
  ctx.fillText(name, 30, mid);
  const nameWidth = ctx.measureText(name).width;
  ctx.font = smallFont;
  ctx.fillStyle = endColor(lane, palette);
  // Leave room for the anomaly icon at the right edge; cut the text with an ellipsis.
  const detailX = 36 + nameWidth;
  const detailWidth = GUTTER_WIDTH - detailX - (lane.anomalies.length > 0 ? 28 : 6);
  ctx.fillText(fitText(ctx, lane.detail ? `${lane.state} · ${lane.detail}` : lane.state, detailWidth), detailX, mid);
  if (lane.anomalies.length > 0) {
    icon(ctx, input, lane.failed ? CODICON.error : CODICON.warning, '!', GUTTER_WIDTH - 22, mid, lane.failed ? palette.error : palette.warning);
  }
}

/** `text`, cut with an ellipsis to fit `maxWidth` pixels in the context's current font. */
export function fitText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (maxWidth <= 0) return '';
  if (ctx.measureText(text).width <= maxWidth) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? `${text.slice(0, lo)}…` : '';
}

/** A codicon glyph when the font has loaded, else a plain character. */
function icon(ctx: CanvasRenderingContext2D, input: RenderInput, glyph: string, fallback: string, x: number, mid: number, color: string): void {
  ctx.fillStyle = color;
  ctx.font = input.iconsReady ? '14px codicon' : `bold ${input.palette.fontSize}px ${input.palette.font}`;
  ctx.textBaseline = 'middle';
  ctx.fillText(input.iconsReady ? glyph : fallback, x, mid + (input.iconsReady ? 1 : 0));
}

/** Text colour of how a lane ended: faults red, declined calls their own colour, the rest muted. */
export function endColor(lane: Lane, palette: Palette): string {
  if (lane.endVerdict === 'fault' || lane.failed) return palette.error;
  return lane.endVerdict === 'declined' ? palette.declined : palette.muted;
}
