// What the user looks at: the time window, the scroll position, the collapsed rows, the
// focused row and the selected event, follow-live, the brush and relative times. Pure: no
// DOM and no drawing (tested in Node). The data it looks at comes from the feed; every
// method takes plot coordinates or times, never events of the browser.
import type { Lane, TimelineViewState } from '../../../shared/timelineProtocol';
import type { LaneModel } from '../data/laneModel';
import { lowerBound } from '../data/levelOfDetail';
import type { MarkStore } from '../data/markStore';
import { AXIS_HEIGHT, GUTTER_WIDTH, plotHeightOf, plotWidthOf, type CanvasSize } from './geometry';
import { hitTest, type Hit } from './hitTest';
import { clampScroll, groupCollapseKey, identityOf, indexOfIdentity, laneCollapseKey, layoutWithLinks, scrollToShow, totalHeight, type Layout, type Row, type RowIdentity } from './layout';
import { centeredOn, centeredOnRange, fitView, following, panBy, spanOf, timeAtX, viewFromBrush, zoomAround, type TimeView } from './viewport';

/** What the state reads from the feed (FeedClient in the page, a plain object in tests). */
export interface TimelineData {
  readonly lanes: LaneModel;
  readonly marks: MarkStore;
  /** A live source: objects still alive grow with the clock. */
  readonly growing: boolean;
  now(): number;
  dataBounds(): { min: number; max: number } | undefined;
  aliveEnd(fallback: number): number;
}

/** Where the host asks the view to go: an object's row and life, or an event. */
export interface CenterTarget {
  readonly laneId?: number;
  readonly seq?: number;
  readonly ts?: number;
  readonly endTs?: number;
}

export class TimelineState {
  private currentView: TimeView;
  private scroll = 0;
  private readonly collapsed = new Set<string>();
  private collapsedVersion = 0;
  private layoutCache: (Layout & { lanesVersion: number; collapsedVersion: number }) | undefined;
  private following = false;
  private relativeKey: string | undefined;
  private selected: number | undefined;
  private focused = 0;
  /** The focused row's object: live rows reorder, and the focus must stay on what it was on. */
  private focusedIdentity: RowIdentity | undefined;
  private hovered = -1;
  private brushRange: { from: number; to: number } | undefined;
  private size: CanvasSize = { width: 1, height: 1 };
  private savedView: TimeView | undefined;
  private initialised = false;

  constructor(private readonly data: TimelineData) {
    const now = data.now();
    this.currentView = { start: now - 60_000, end: now };
  }

  // ---- what is shown ----

  get view(): TimeView {
    return this.currentView;
  }
  get scrollTop(): number {
    return this.scroll;
  }
  get follow(): boolean {
    return this.following;
  }
  get selectedSeq(): number | undefined {
    return this.selected;
  }
  get focusedRow(): number {
    return this.focused;
  }
  get hoverRow(): number {
    return this.hovered;
  }
  get brush(): { from: number; to: number } | undefined {
    return this.brushRange;
  }
  get relativeTo(): string | undefined {
    return this.relativeKey;
  }
  /** The time shown as zero when times are relative to an object's start. */
  get relativeOrigin(): number | undefined {
    return this.relativeKey === undefined ? undefined : this.data.lanes.getByKey(this.relativeKey)?.startTs;
  }
  get plotWidth(): number {
    return plotWidthOf(this.size);
  }
  get plotHeight(): number {
    return plotHeightOf(this.size);
  }
  /** Until the first data arrived, nothing is worth saving. */
  get isInitialised(): boolean {
    return this.initialised;
  }
  get hasSavedView(): boolean {
    return this.savedView !== undefined;
  }

  // ---- saved view state (reloads, tab switches) ----

  /** A saved state; its time window waits for the first data (`initialise`). */
  restore(saved: Partial<TimelineViewState>): void {
    this.collapsed.clear();
    for (const key of saved.collapsed ?? []) this.collapsed.add(key);
    this.collapsedVersion++;
    this.following = saved.follow ?? false;
    this.relativeKey = saved.relativeTo;
    this.selected = saved.selectedSeq;
    this.scroll = saved.scrollTop ?? 0;
    const { viewStart, viewEnd } = saved;
    this.savedView = viewStart !== undefined && viewEnd !== undefined && viewEnd > viewStart ? { start: viewStart, end: viewEnd } : undefined;
  }

  /**
   * The first data arrived: the saved window if there is one, else everything (and follow
   * while live). Returns false when it had already run.
   */
  initialise(): boolean {
    if (this.initialised) return false;
    this.initialised = true;
    if (this.savedView) this.currentView = this.savedView;
    else {
      this.following = this.data.growing;
      this.fitAll();
    }
    return true;
  }

  snapshot(sourceId: string): TimelineViewState {
    return {
      sourceId,
      viewStart: this.currentView.start,
      viewEnd: this.currentView.end,
      scrollTop: this.scroll,
      follow: this.following,
      collapsed: [...this.collapsed],
      relativeTo: this.relativeKey,
      selectedSeq: this.selected,
    };
  }

  // ---- rows ----

  layout(): Layout {
    const lanes = this.data.lanes;
    const cache = this.layoutCache;
    if (cache && cache.lanesVersion === lanes.version && cache.collapsedVersion === this.collapsedVersion) return cache;
    this.layoutCache = { lanesVersion: lanes.version, collapsedVersion: this.collapsedVersion, ...layoutWithLinks(lanes, this.collapsed) };
    const moved = this.focusedIdentity && indexOfIdentity(this.layoutCache.layout, this.focusedIdentity);
    if (moved !== undefined && moved >= 0) this.focused = moved;
    return this.layoutCache;
  }

  /** Height of every row, for the native scrollbar's spacer. */
  contentHeight(): number {
    return totalHeight(this.layout().layout);
  }

  rowAt(index: number): Row | undefined {
    return this.layout().layout.rows[index];
  }

  setSize(size: CanvasSize): void {
    this.size = size;
  }

  /** Keeps scroll and focus inside the rows (lanes come and go); called before each frame. */
  clampToRows(): void {
    const { layout } = this.layout();
    this.scroll = clampScroll(layout, this.scroll, this.plotHeight);
    this.focused = Math.min(this.focused, Math.max(0, layout.rows.length - 1));
  }

  /** Rows that fit in the plot: the step of PageUp and PageDown. */
  pageRows(): number {
    return Math.max(1, Math.floor(this.plotHeight / 20) - 1);
  }

  /** Expands or collapses a group, or a room's members; undefined for other rows. */
  toggleRow(index: number): { row: Row; collapsed: boolean } | undefined {
    const row = this.rowAt(index);
    if (!row) return undefined;
    const key = row.kind === 'group' ? groupCollapseKey(row.group) : row.kind === 'lane' && row.lane.members.length > 0 ? laneCollapseKey(row.lane) : undefined;
    if (!key) return undefined;
    const collapse = !this.collapsed.has(key);
    if (collapse) this.collapsed.add(key);
    else this.collapsed.delete(key);
    this.collapsedVersion++;
    return { row, collapsed: collapse };
  }

  /** Moves the keyboard focus to a row and scrolls it into view; false with no rows. */
  focusRow(index: number): boolean {
    const { layout } = this.layout();
    if (layout.rows.length === 0) return false;
    this.setFocus(layout, Math.max(0, Math.min(layout.rows.length - 1, index)));
    this.scroll = scrollToShow(layout, this.focused, this.scroll, this.plotHeight);
    return true;
  }

  setHover(row: number): boolean {
    if (row === this.hovered) return false;
    this.hovered = row;
    return true;
  }

  scrollBy(dy: number): void {
    this.scrollTo(this.scroll + dy);
  }

  scrollTo(top: number): void {
    this.scroll = clampScroll(this.layout().layout, top, this.plotHeight);
  }

  // ---- time ----

  /** Plot x (0 = the plot's left edge) -> time: the one conversion every input uses. */
  timeAt(plotX: number): number {
    return timeAtX(this.currentView, plotX, this.plotWidth);
  }

  /** Row and mark under a point of the canvas (canvas CSS pixels). */
  hitAt(canvasX: number, canvasY: number): Hit | undefined {
    if (canvasY < AXIS_HEIGHT) return undefined;
    return hitTest(this.layout().layout, this.data.marks, this.currentView, this.plotWidth, canvasX - GUTTER_WIDTH, canvasY - AXIS_HEIGHT + this.scroll);
  }

  /** factor < 1 zooms in, around `anchor` (a time; the middle by default). */
  zoom(factor: number, anchor = (this.currentView.start + this.currentView.end) / 2): void {
    this.stopFollowing();
    this.currentView = zoomAround(this.currentView, anchor, factor);
  }

  /** Pans by a fraction of the visible span (positive: later). */
  panTime(fraction: number): void {
    this.stopFollowing();
    this.currentView = panBy(this.currentView, fraction * spanOf(this.currentView));
  }

  /** A drag moved by dx, dy pixels: the content follows the pointer. */
  dragBy(dx: number, dy: number): void {
    this.stopFollowing();
    this.currentView = panBy(this.currentView, (-dx / this.plotWidth) * spanOf(this.currentView));
    this.scrollBy(-dy);
  }

  fitAll(): void {
    const bounds = this.data.dataBounds();
    if (bounds) this.currentView = fitView(bounds.min, bounds.max);
  }

  goToStart(): void {
    const bounds = this.data.dataBounds();
    if (!bounds) return;
    this.stopFollowing();
    const span = spanOf(this.currentView);
    this.currentView = { start: bounds.min - span * 0.02, end: bounds.min + span * 0.98 };
  }

  /** The newest events; while live, that is following them. */
  goToEnd(): void {
    const bounds = this.data.dataBounds();
    if (!bounds) return;
    if (this.data.growing) {
      this.setFollow(true);
      return;
    }
    const span = spanOf(this.currentView);
    this.currentView = { start: bounds.max - span * 0.98, end: bounds.max + span * 0.02 };
  }

  setFollow(on: boolean): void {
    this.following = on;
    if (on) this.currentView = following(this.currentView, this.data.growing ? this.data.now() : (this.data.dataBounds()?.max ?? this.data.now()));
  }

  /** A frame while following a live source: the window moves with the clock. */
  tick(): boolean {
    if (!this.following || !this.data.growing) return false;
    this.currentView = following(this.currentView, this.data.now());
    return true;
  }

  /** True when the window has no lane in it (and there are lanes elsewhere). */
  isEmptyWindow(): boolean {
    const lanes = this.data.lanes;
    const { start, end } = this.currentView;
    return lanes.size > 0 && lanes.countInWindow(start, end, this.data.aliveEnd(end)) === 0;
  }

  private stopFollowing(): void {
    this.following = false;
  }

  // ---- brush ----

  /** Shift+drag or a drag on the axis: the range between two plot x. */
  setBrush(fromPlotX: number, toPlotX: number): void {
    this.brushRange = { from: this.timeAt(fromPlotX), to: this.timeAt(toPlotX) };
  }

  cancelBrush(): void {
    this.brushRange = undefined;
  }

  /** The brushed range becomes the window; undefined (and nothing changes) for a tiny brush. */
  applyBrush(): TimeView | undefined {
    const brush = this.brushRange;
    this.brushRange = undefined;
    const view = brush && viewFromBrush(brush.from, brush.to);
    if (!view) return undefined;
    this.stopFollowing();
    this.currentView = view;
    return view;
  }

  // ---- selection ----

  /** Selects the mark at an absolute position and focuses its row; returns its seq. */
  selectPosition(position: number): number {
    const marks = this.data.marks;
    this.selected = marks.seqAt(position);
    const { layout } = this.layout();
    const row = layout.rowOfLane.get(marks.laneAt(position));
    if (row !== undefined) this.setFocus(layout, row);
    return this.selected;
  }

  /** The host showed an event's details (a click here, or a reveal from the tree). */
  markSelected(seq: number): void {
    this.selected = seq;
  }

  /** The mark of the focused lane nearest the middle of the window, brought into view. */
  nearestInFocusedRow(): number | undefined {
    const marks = this.focusedLaneMarks();
    if (!marks) return undefined;
    const middle = (this.currentView.start + this.currentView.end) / 2;
    let i = lowerBound(marks, middle);
    if (i >= marks.length || (i > 0 && middle - marks.at(i - 1) < marks.at(i) - middle)) i--;
    this.revealTime(marks.at(i));
    return marks.positionAt(i);
  }

  /** The previous (-1) or next (1) mark of the focused lane, brought into view. */
  stepInFocusedRow(direction: 1 | -1): number | undefined {
    const marks = this.focusedLaneMarks();
    if (!marks) return undefined;
    const store = this.data.marks;
    const current = this.selected === undefined ? -1 : store.positionOfSeq(this.selected);
    let index = -1;
    if (current >= 0) for (let i = 0; i < marks.length; i++) if (marks.positionAt(i) === current) index = i;
    const next = index < 0 ? (direction > 0 ? 0 : marks.length - 1) : Math.max(0, Math.min(marks.length - 1, index + direction));
    this.revealTime(marks.at(next));
    return marks.positionAt(next);
  }

  /** Escape: a brush goes first, then the selection. */
  clearSelection(): 'brush' | 'selection' {
    if (this.brushRange) {
      this.brushRange = undefined;
      return 'brush';
    }
    this.selected = undefined;
    return 'selection';
  }

  /** R: times relative to the focused row's object, or back to absolute. */
  toggleRelative(): { relativeTo: Lane } | 'absolute' | 'no-row' {
    if (this.relativeKey !== undefined) {
      this.relativeKey = undefined;
      return 'absolute';
    }
    const row = this.rowAt(this.focused);
    if (!row || row.kind === 'group') return 'no-row';
    this.relativeKey = row.lane.key;
    return { relativeTo: row.lane };
  }

  /** The host asks for an object or an event: its time in view, its row focused mid-screen. */
  centerOn(target: CenterTarget): Lane | undefined {
    this.stopFollowing();
    if (target.ts !== undefined) {
      this.currentView = target.endTs !== undefined ? centeredOnRange(this.currentView, target.ts, target.endTs) : centeredOn(this.currentView, target.ts);
    }
    if (target.seq !== undefined) this.selected = target.seq;
    if (target.laneId === undefined) return undefined;
    const lane = this.data.lanes.get(target.laneId);
    if (lane && this.collapsed.delete(groupCollapseKey(lane.kind))) this.collapsedVersion++;
    const { layout } = this.layout();
    const row = layout.rowOfLane.get(target.laneId);
    if (row === undefined) return undefined;
    this.setFocus(layout, row);
    this.scroll = clampScroll(layout, layout.tops[row] - this.plotHeight / 2, this.plotHeight);
    return lane;
  }

  private setFocus(layout: Layout['layout'], index: number): void {
    this.focused = index;
    const row = layout.rows[index];
    this.focusedIdentity = row && identityOf(row);
  }

  private focusedLaneMarks() {
    const row = this.rowAt(this.focused);
    if (!row || row.kind !== 'lane') return undefined;
    const marks = this.data.marks.laneMarks(row.lane.id);
    return marks && marks.length > 0 ? marks : undefined;
  }

  private revealTime(ts: number): void {
    if (ts >= this.currentView.start && ts <= this.currentView.end) return;
    this.stopFollowing();
    this.currentView = centeredOn(this.currentView, ts);
  }
}
