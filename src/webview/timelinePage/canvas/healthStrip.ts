// The connection's health strip, under the time axis: one bar per health window (10 s of a
// live connection, or what a recorder wrote into a trace), as tall as the answers' p99 on a
// log scale from 10 µs to the server's 5 s rule, coloured by how near that rule it is; over
// the bars, the event rate as a line (scaled to the busiest window in view); a reconnection
// as a tick in the warning colour. A gap in the bars is a time with no connection (also
// shaded over every row).
import type { ConnectionSpan, HealthPoint } from '../../../shared/timelineProtocol';
import { AXIS_HEIGHT, AXIS_LABEL_HEIGHT } from '../state/geometry';
import type { Palette } from '../theme/palette';

/** The server closes a connection whose request waits this long (NkSERVICE's 5 s rule). */
const ANSWER_RULE_US = 5_000_000;
const FLOOR_US = 10;
/** Under this, answers are healthy; over the next, the link is in danger. */
const SLOW_US = 100_000;
const DANGER_US = 1_000_000;

export function drawHealthStrip(
  ctx: CanvasRenderingContext2D,
  health: readonly HealthPoint[],
  connection: readonly ConnectionSpan[],
  palette: Palette,
  timeX: (ts: number) => number,
  plotX: number,
  plotW: number,
): void {
  const top = AXIS_LABEL_HEIGHT;
  const height = AXIS_HEIGHT - AXIS_LABEL_HEIGHT - 2;
  const bottom = top + height;
  ctx.save();
  ctx.beginPath();
  ctx.rect(plotX, top, plotW, height + 1);
  ctx.clip();
  for (const point of health) {
    const x1 = timeX(point.from);
    const x2 = timeX(point.to);
    if (x2 < plotX || x1 > plotX + plotW) continue;
    const p99 = point.p99Us;
    const share = p99 === undefined ? 0 : Math.min(1, Math.max(0.12, Math.log10(Math.max(p99, FLOOR_US) / FLOOR_US) / Math.log10(ANSWER_RULE_US / FLOOR_US)));
    ctx.fillStyle = p99 === undefined ? palette.grid : p99 >= DANGER_US ? palette.error : p99 >= SLOW_US ? palette.warning : palette.roles.answer;
    const h = p99 === undefined ? 1 : Math.max(2, Math.round(share * height));
    ctx.fillRect(x1, bottom - h, Math.max(1, x2 - x1 - 1), h);
  }
  drawRate(ctx, health, palette, timeX, plotX, plotW, top, bottom);
  ctx.strokeStyle = palette.warning;
  ctx.lineWidth = 2;
  for (const span of connection) {
    if (span.to === undefined) continue;
    const x = Math.round(timeX(span.to));
    if (x < plotX || x > plotX + plotW) continue;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
  }
  ctx.restore();
}

/** Events per second, one point per window's middle, scaled to the busiest window in view. */
function drawRate(ctx: CanvasRenderingContext2D, health: readonly HealthPoint[], palette: Palette, timeX: (ts: number) => number, plotX: number, plotW: number, top: number, bottom: number): void {
  const inView = health.filter((p) => timeX(p.to) >= plotX && timeX(p.from) <= plotX + plotW);
  const peak = Math.max(0, ...inView.map((p) => p.eventsPerSecond));
  if (inView.length < 2 || peak <= 0) return;
  ctx.strokeStyle = palette.foreground;
  ctx.globalAlpha = 0.7;
  ctx.lineWidth = 1;
  ctx.beginPath();
  inView.forEach((p, i) => {
    const x = timeX((p.from + p.to) / 2);
    const y = bottom - 1 - (p.eventsPerSecond / peak) * (bottom - top - 2);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.stroke();
  ctx.globalAlpha = 1;
}

/** The gutter's words for the strip: the latest window's p99 and rate. */
export function healthLabel(health: readonly HealthPoint[]): string {
  const latest = health[health.length - 1];
  if (!latest) return 'health: no samples';
  const p99 = latest.p99Us === undefined ? 'no answers' : `p99 ${latest.p99Us < 1000 ? `${Math.round(latest.p99Us)} µs` : `${(latest.p99Us / 1000).toFixed(1)} ms`}`;
  return `answers ${p99} · ${latest.eventsPerSecond} ev/s`;
}
