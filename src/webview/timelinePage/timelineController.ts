// The webview's state and behaviour: what the host sent (lanes, marks, types, gaps), what the
// user looks at (time view, scroll, collapsed rows, selection, follow mode), and the glue
// that turns messages and input into frames. Drawing is in renderer.ts, input wiring in
// interactions.ts.
import type { ConnectionSpan, Lane, SourceInfo, TimelineEventType, TimelineFilter, TimelineViewState, ToWebview } from '../../shared/timelineProtocol';
import { formatFilter, parseFilter } from '../../shared/filterSyntax';
import type { TimelineDom } from './dom';
import type { HostChannel } from './hostChannel';
import { hitTest, type Hit } from './hitTest';
import { GROUP_LABELS, GROUP_ORDER, LaneModel } from './laneModel';
import { clampScroll, groupCollapseKey, laneCollapseKey, layoutRows, scrollToShow, totalHeight, type Row, type RowLayout } from './layout';
import { lowerBound } from './levelOfDetail';
import { MarkStore } from './markStore';
import { readPalette, watchTheme, type Palette } from './palette';
import { AXIS_HEIGHT, drawFrame, GUTTER_WIDTH, rolesOf } from './renderer';
import { offsetLabel, preciseTime } from './ticks';

/** How often the plot checks whether its window is empty. */
const EMPTY_CHECK_MS = 250;
import { COLOR_ROLES, colorRoleOf, ROLE_LABELS, type ColorRole } from './typeColors';
import { centeredOn, centeredOnRange, fitView, following, panBy, spanOf, zoomAround, type TimeView } from './viewport';

const EXCERPT_CACHE_SIZE = 500;
const STATE_SAVE_DELAY_MS = 300;
const FILTER_DELAY_MS = 300;

/** Optional timing probe for the benchmark: frame work times in ms. */
interface PerfProbe {
  frames: number[];
  firstCompleteFrame?: number;
  onFrame?: (ms: number) => void;
  /** Read a pixel back so the frame time includes the canvas raster, not just the JS. */
  flush?: boolean;
}
declare global {
  interface Window {
    __timelinePerf?: PerfProbe;
  }
}

export class TimelineController {
  private readonly lanes = new LaneModel();
  private readonly marks = new MarkStore();
  private types: readonly TimelineEventType[] = [];
  private roles: ColorRole[] = [];
  private connection: readonly ConnectionSpan[] = [];
  private source: SourceInfo | undefined;
  private clockOffset = 0;
  private generation = -1;
  private cursor = 0;
  private lastSeq = 0;
  private requestInFlight = false;
  private caughtUp = false;

  private view: TimeView = { start: Date.now() - 60_000, end: Date.now() };
  private scrollTop = 0;
  private collapsed = new Set<string>();
  private followLive = false;
  private emptyCheckedAt = -Infinity;
  private relativeTo: string | undefined;
  private selectedSeq: number | undefined;
  private focusedRow = 0;
  private hoverRow = -1;
  private brush: { from: number; to: number } | undefined;
  private restored: Partial<TimelineViewState> | undefined;
  private viewInitialised = false;

  private layoutCache: { version: number; collapsedKey: string; layout: RowLayout; listenersOf: Map<string, Lane[]> } | undefined;
  private palette: Palette;
  private iconsReady = false;
  private frameRequested = false;
  private width = 0;
  private height = 0;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly excerpts = new Map<number, string>();
  private tooltipSeq: number | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private filterTimer: ReturnType<typeof setTimeout> | undefined;
  private syncingScroller = false;

  constructor(
    private readonly dom: TimelineDom,
    private readonly host: HostChannel,
    private readonly sourceId: string,
  ) {
    const ctx = dom.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2D canvas');
    this.ctx = ctx;
    this.palette = readPalette();
    const saved = host.getState();
    if (saved && (saved.sourceId === sourceId || !sourceId)) this.restore(saved);
    watchTheme(() => {
      this.palette = readPalette();
      this.renderLegend();
      this.requestDraw();
    });
    void document.fonts?.load('14px codicon').then(() => {
      this.iconsReady = document.fonts.check('14px codicon');
      this.requestDraw();
    });
    new ResizeObserver(() => this.resize()).observe(dom.plot);
    this.resize();
    // The serializer needs the source id even if no data ever arrives (the source is gone);
    // a restored state already has it, and must not be overwritten before init applies it.
    if (!this.restored) host.setState({ sourceId });
  }

  // ---- messages from the host ----

  handle(message: ToWebview): void {
    switch (message.type) {
      case 'init':
        this.onInit(message);
        break;
      case 'marks':
        if (message.generation !== this.generation) return;
        this.requestInFlight = false;
        this.cursor = Math.max(this.cursor, message.cursor);
        this.lastSeq = Math.max(this.lastSeq, message.lastSeq);
        // Ask for the next chunk first: the host prepares it while this one is indexed.
        this.pullMarks();
        this.marks.append(message.chunk);
        this.updateStatus();
        this.requestDraw();
        break;
      case 'delta':
        if (message.generation !== this.generation) return;
        this.onDelta(message);
        break;
      case 'eventDetails':
        this.showDetails(message);
        break;
      case 'eventMissing':
        this.dom.detailsSummary.textContent = message.message;
        this.dom.detailsJson.textContent = '';
        this.announce(message.message);
        break;
      case 'excerpt':
        this.rememberExcerpt(message.seq, message.text);
        if (this.tooltipSeq === message.seq) this.updateTooltipExcerpt(message.text);
        break;
      case 'center':
        this.centerOn(message);
        break;
      case 'filter':
        this.showFilter(message.filter);
        break;
      case 'sourceGone':
        this.showMessage(message.message);
        break;
      case 'restoreView':
        // Our own saved state wins (after a window reload it is the same one); a view the
        // user already sees is never replaced.
        if (this.restored?.viewStart !== undefined || this.viewInitialised) return;
        if (message.state.sourceId !== this.sourceId && this.sourceId) return;
        this.restore(message.state);
        // Kept by VS Code from now on, so a reload before any data arrives still has it.
        this.host.setState(message.state);
        break;
    }
  }

  /** Takes a saved view state; the time range is applied by the first `init`. */
  private restore(state: Partial<TimelineViewState>): void {
    this.restored = state;
    this.collapsed = new Set(state.collapsed ?? []);
    this.bumpCollapsed();
    this.followLive = state.follow ?? false;
    this.relativeTo = state.relativeTo;
    this.selectedSeq = state.selectedSeq;
    this.scrollTop = state.scrollTop ?? 0;
    this.updateFollowButton();
    this.updateRelativeButton();
  }

  private onInit(message: Extract<ToWebview, { type: 'init' }>): void {
    this.generation = message.generation;
    this.source = message.source;
    this.clockOffset = message.source.now - Date.now();
    this.lanes.setOrder(message.source.growing ? 'live-first' : 'by-start');
    this.lanes.reset(message.lanes);
    this.marks.clear();
    this.marks.expect(message.lastSeq - message.fromSeq + 1);
    this.setTypes(message.types);
    this.connection = message.connection;
    this.cursor = message.fromSeq - 1;
    this.lastSeq = message.lastSeq;
    this.requestInFlight = false;
    this.caughtUp = false;
    this.showFilter(message.filter);
    this.showMessage(undefined);
    this.updateStatus();
    if (!this.viewInitialised) {
      this.viewInitialised = true;
      // VS Code drops a hidden webview (no retainContextWhenHidden): coming back to the tab
      // reloads it from its saved state, which must bring back the selected event's details.
      if (this.selectedSeq !== undefined) this.host.post({ type: 'selectEvent', seq: this.selectedSeq, reveal: false });
      if (this.restored?.viewStart !== undefined && this.restored.viewEnd !== undefined && this.restored.viewEnd > this.restored.viewStart) {
        this.view = { start: this.restored.viewStart, end: this.restored.viewEnd };
      } else {
        this.followLive = message.source.growing;
        this.fitAll(false);
      }
    }
    this.updateFollowButton();
    this.pullMarks();
    this.changed();
  }

  private onDelta(message: Extract<ToWebview, { type: 'delta' }>): void {
    this.source = message.source;
    this.clockOffset = message.source.now - Date.now();
    this.lanes.setOrder(message.source.growing ? 'live-first' : 'by-start');
    this.lanes.remove(message.removedLanes);
    for (const id of message.removedLanes) this.marks.dropLane(id);
    this.lanes.upsert(message.lanes);
    if (message.types.length > 0) this.setTypes([...this.types, ...message.types]);
    if (message.connection) this.connection = message.connection;
    this.marks.evictBefore(message.firstSeq);
    this.lastSeq = Math.max(this.lastSeq, message.lastSeq);
    this.updateStatus();
    this.pullMarks();
    this.requestDraw();
  }

  private pullMarks(): void {
    if (this.requestInFlight) return;
    if (this.cursor >= this.lastSeq) {
      if (!this.caughtUp) {
        this.caughtUp = true;
        this.updateStatus();
      }
      return;
    }
    this.requestInFlight = true;
    this.host.post({ type: 'requestMarks', generation: this.generation, afterSeq: this.cursor });
  }

  private setTypes(types: readonly TimelineEventType[]): void {
    this.types = types;
    this.roles = rolesOf(types);
    this.renderLegend();
    this.renderTypeOptions();
  }

  // ---- layout ----

  private layout(): { layout: RowLayout; listenersOf: Map<string, Lane[]> } {
    const collapsedKey = this.collapsedVersion;
    const cache = this.layoutCache;
    if (cache && cache.version === this.lanes.version && cache.collapsedKey === collapsedKey) return cache;
    const layout = layoutRows((kind) => this.lanes.group(kind), this.collapsed);
    const listenersOf = new Map<string, Lane[]>();
    for (const lane of this.lanes.group('session')) {
      if (!lane.peerKey) continue;
      let list = listenersOf.get(lane.peerKey);
      if (!list) listenersOf.set(lane.peerKey, (list = []));
      list.push(lane);
    }
    this.layoutCache = { version: this.lanes.version, collapsedKey, layout, listenersOf };
    this.dom.scrollSpacer.style.height = `${totalHeight(layout) + AXIS_HEIGHT}px`;
    return this.layoutCache;
  }

  private collapsedVersion = '0';
  private bumpCollapsed(): void {
    this.collapsedVersion = String(Number(this.collapsedVersion) + 1);
  }

  private get plotWidth(): number {
    return Math.max(1, this.width - GUTTER_WIDTH);
  }

  private get plotHeight(): number {
    return Math.max(0, this.height - AXIS_HEIGHT);
  }

  now(): number {
    return Date.now() + this.clockOffset;
  }

  private aliveEnd(): number {
    if (!this.source) return this.view.end;
    return this.source.growing ? this.now() : this.source.dataEndTs;
  }

  // ---- drawing ----

  requestDraw(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frameRequested = false;
    const started = performance.now();
    if (this.followLive && this.source?.growing) {
      this.view = following(this.view, this.now());
      this.saveState();
    }
    const { layout, listenersOf } = this.layout();
    this.scrollTop = clampScroll(layout, this.scrollTop, this.plotHeight);
    this.focusedRow = Math.min(this.focusedRow, Math.max(0, layout.rows.length - 1));
    const selectedPosition = this.selectedSeq === undefined ? -1 : this.marks.positionOfSeq(this.selectedSeq);
    drawFrame(this.ctx, {
      width: this.width,
      height: this.height,
      view: this.view,
      scrollTop: this.scrollTop,
      layout,
      lanes: this.lanes,
      marks: this.marks,
      roles: this.roles,
      palette: this.palette,
      aliveEnd: this.aliveEnd(),
      connection: this.connection,
      selectedPosition,
      focusedRow: document.activeElement === this.dom.canvas ? this.focusedRow : -1,
      hoverRow: this.hoverRow,
      relativeOrigin: this.relativeOrigin(),
      brush: this.brush,
      iconsReady: this.iconsReady,
      listenersOf,
    });
    this.syncScroller();
    this.updateEmptyNote();
    const probe = window.__timelinePerf;
    if (probe) {
      if (probe.flush) this.ctx.getImageData(0, 0, 1, 1);
      const ms = performance.now() - started;
      probe.frames.push(ms);
      if (probe.firstCompleteFrame === undefined && this.caughtUp) probe.firstCompleteFrame = performance.now();
      probe.onFrame?.(ms);
    }
    // Live follow redraws every frame so bars grow smoothly with the clock.
    if (this.followLive && this.source?.growing) this.requestDraw();
  }

  /**
   * Says so when the visible window has nothing in it (a plot with no bars or marks reads as
   * "broken"), and offers Fit all. It walks the lanes: while following live (a frame every
   * 16 ms) at most every EMPTY_CHECK_MS; other frames come from a change and check at once.
   */
  private updateEmptyNote(): void {
    const now = performance.now();
    if (this.followLive && this.source?.growing && now - this.emptyCheckedAt < EMPTY_CHECK_MS) return;
    this.emptyCheckedAt = now;
    const empty = this.lanes.size > 0 && this.lanes.countInWindow(this.view.start, this.view.end, this.aliveEnd()) === 0;
    if (empty) {
      const text = `Nothing between ${preciseTime(this.view.start)} and ${preciseTime(this.view.end)}: the ${this.lanes.size.toLocaleString('en-US')} objects lie outside this window.`;
      if (this.dom.emptyNoteText.textContent !== text) this.dom.emptyNoteText.textContent = text;
    }
    this.dom.emptyNote.hidden = !empty;
  }

  private resize(): void {
    const rect = this.dom.plot.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.width = Math.max(1, Math.floor(rect.width));
    this.height = Math.max(1, Math.floor(rect.height));
    this.dom.canvas.width = Math.floor(this.width * dpr);
    this.dom.canvas.height = Math.floor(this.height * dpr);
    this.dom.canvas.style.width = `${this.width}px`;
    this.dom.canvas.style.height = `${this.height}px`;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.requestDraw();
  }

  private syncScroller(): void {
    const target = Math.round(this.scrollTop);
    if (Math.abs(this.dom.scroller.scrollTop - target) < 1) return;
    this.syncingScroller = true;
    this.dom.scroller.scrollTop = target;
  }

  /** The native scrollbar moved (mouse on the scrollbar). */
  onScrollerScroll(): void {
    if (this.syncingScroller) {
      this.syncingScroller = false;
      return;
    }
    this.scrollTop = this.dom.scroller.scrollTop;
    this.changed();
  }

  // ---- actions (from input) ----

  /** Plot x (0 = left edge of the plot) -> time. */
  timeAt(plotX: number): number {
    return this.view.start + (plotX / this.plotWidth) * spanOf(this.view);
  }

  zoom(factor: number, anchor = (this.view.start + this.view.end) / 2): void {
    this.stopFollowing();
    this.view = zoomAround(this.view, anchor, factor);
    this.changed();
  }

  panPixels(dx: number, dy: number, from: TimeView, fromScroll: number): void {
    this.stopFollowing();
    this.view = panBy(from, (-dx / this.plotWidth) * spanOf(from));
    this.scrollTop = clampScroll(this.layout().layout, fromScroll - dy, this.plotHeight);
    this.changed();
  }

  panFraction(fraction: number): void {
    this.stopFollowing();
    this.view = panBy(this.view, fraction * spanOf(this.view));
    this.changed();
  }

  scrollBy(dy: number): void {
    this.scrollTop = clampScroll(this.layout().layout, this.scrollTop + dy, this.plotHeight);
    this.changed();
  }

  get currentView(): TimeView {
    return this.view;
  }

  get currentScroll(): number {
    return this.scrollTop;
  }

  fitAll(announce = true): void {
    const bounds = this.dataBounds();
    if (bounds) this.view = fitView(bounds.min, bounds.max);
    if (announce) this.announce('Showing all events.');
    this.changed();
  }

  goToStart(): void {
    const bounds = this.dataBounds();
    if (!bounds) return;
    this.stopFollowing();
    const span = spanOf(this.view);
    this.view = { start: bounds.min - span * 0.02, end: bounds.min + span * 0.98 };
    this.changed();
  }

  goToEnd(): void {
    const bounds = this.dataBounds();
    if (!bounds) return;
    if (this.source?.growing) {
      this.setFollow(true);
      return;
    }
    const span = spanOf(this.view);
    this.view = { start: bounds.max - span * 0.98, end: bounds.max + span * 0.02 };
    this.changed();
  }

  setFollow(on: boolean): void {
    this.followLive = on;
    if (on) this.view = following(this.view, this.source?.growing ? this.now() : (this.dataBounds()?.max ?? this.now()));
    this.updateFollowButton();
    this.announce(on ? 'Following live events.' : 'Stopped following live events.');
    this.changed();
  }

  toggleFollow(): void {
    this.setFollow(!this.followLive);
  }

  private stopFollowing(): void {
    if (!this.followLive) return;
    this.followLive = false;
    this.updateFollowButton();
  }

  setBrush(brush: { from: number; to: number } | undefined): void {
    this.brush = brush;
    this.requestDraw();
  }

  applyBrush(): void {
    const brush = this.brush;
    this.brush = undefined;
    if (brush && Math.abs(brush.to - brush.from) >= 1) {
      this.stopFollowing();
      this.view = { start: Math.min(brush.from, brush.to), end: Math.max(brush.from, brush.to) };
      this.announce(`Zoomed to ${preciseTime(this.view.start)} – ${preciseTime(this.view.end)}.`);
    }
    this.changed();
  }

  /** Row and mark under a point of the canvas (canvas CSS pixels). */
  hitAt(canvasX: number, canvasY: number): Hit | undefined {
    if (canvasY < AXIS_HEIGHT) return undefined;
    const contentY = canvasY - AXIS_HEIGHT + this.scrollTop;
    return hitTest(this.layout().layout, this.marks, this.view, this.plotWidth, canvasX - GUTTER_WIDTH, contentY);
  }

  rowAt(index: number): Row | undefined {
    return this.layout().layout.rows[index];
  }

  setHover(row: number): void {
    if (row === this.hoverRow) return;
    this.hoverRow = row;
    this.requestDraw();
  }

  /** A click or Enter on a row: groups and rooms expand or collapse. */
  toggleRow(index: number): void {
    const row = this.rowAt(index);
    if (!row) return;
    let key: string | undefined;
    let name = '';
    if (row.kind === 'group') {
      key = groupCollapseKey(row.group);
      name = GROUP_LABELS[row.group];
    } else if (row.kind === 'lane' && row.lane.members.length > 0) {
      key = laneCollapseKey(row.lane);
      name = `members of room ${row.lane.objId.slice(0, 8)}`;
    }
    if (!key) return;
    const collapse = !this.collapsed.has(key);
    if (collapse) this.collapsed.add(key);
    else this.collapsed.delete(key);
    this.bumpCollapsed();
    this.announce(`${name} ${collapse ? 'collapsed' : 'expanded'}.`);
    this.changed();
  }

  focusRow(index: number, announce = true): void {
    const { layout } = this.layout();
    if (layout.rows.length === 0) return;
    this.focusedRow = Math.max(0, Math.min(layout.rows.length - 1, index));
    this.scrollTop = scrollToShow(layout, this.focusedRow, this.scrollTop, this.plotHeight);
    if (announce) this.announce(this.describeRow(this.focusedRow));
    this.changed();
  }

  moveFocus(delta: number): void {
    this.focusRow(this.focusedRow + delta);
  }

  get focusedRowIndex(): number {
    return this.focusedRow;
  }

  pageRows(): number {
    return Math.max(1, Math.floor(this.plotHeight / 20) - 1);
  }

  /** Selects the mark at an absolute position: highlights it and asks the host for its JSON. */
  selectPosition(position: number): void {
    const seq = this.marks.seqAt(position);
    this.selectedSeq = seq;
    const laneId = this.marks.laneAt(position);
    const row = this.layout().layout.rowOfLane.get(laneId);
    if (row !== undefined) this.focusedRow = row;
    this.host.post({ type: 'selectEvent', seq });
    this.announce(`Selected ${this.describeMark(position)}.`);
    this.changed();
  }

  /** Enter on a lane: the event nearest the middle of the view. */
  selectNearestInFocusedRow(): void {
    const row = this.rowAt(this.focusedRow);
    if (!row || row.kind !== 'lane') return;
    const marks = this.marks.laneMarks(row.lane.id);
    if (!marks || marks.length === 0) {
      this.announce('This row has no events stored.');
      return;
    }
    const middle = (this.view.start + this.view.end) / 2;
    let i = lowerBound(marks, middle);
    if (i >= marks.length || (i > 0 && middle - marks.at(i - 1) < marks.at(i) - middle)) i--;
    this.revealTime(marks.at(i));
    this.selectPosition(marks.positionAt(i));
  }

  /** [ and ]: the previous or next event of the focused row's lane. */
  stepSelection(direction: 1 | -1): void {
    const row = this.rowAt(this.focusedRow);
    if (!row || row.kind !== 'lane') return;
    const marks = this.marks.laneMarks(row.lane.id);
    if (!marks || marks.length === 0) return;
    const current = this.selectedSeq === undefined ? -1 : this.marks.positionOfSeq(this.selectedSeq);
    let index = -1;
    if (current >= 0 && this.marks.laneAt(current) === row.lane.id) {
      for (let i = 0; i < marks.length; i++) if (marks.positionAt(i) === current) index = i;
    }
    const next = index < 0 ? (direction > 0 ? 0 : marks.length - 1) : Math.max(0, Math.min(marks.length - 1, index + direction));
    this.revealTime(marks.at(next));
    this.selectPosition(marks.positionAt(next));
  }

  clearSelection(): void {
    if (this.brush) {
      this.brush = undefined;
    } else {
      this.selectedSeq = undefined;
      this.dom.detailsSummary.textContent = 'Click a mark to see its event.';
      this.dom.detailsJson.textContent = '';
      this.announce('Selection cleared.');
    }
    this.changed();
  }

  /** R: times relative to the start of the focused (or selected) row's object, or back to absolute. */
  toggleRelative(): void {
    if (this.relativeTo) {
      this.relativeTo = undefined;
      this.announce('Times are absolute.');
    } else {
      const row = this.rowAt(this.focusedRow);
      const lane = row && row.kind !== 'group' ? row.lane : undefined;
      if (!lane) {
        this.announce('Select a row first: times will be relative to its object\'s start.');
        return;
      }
      this.relativeTo = lane.key;
      this.announce(`Times are relative to the start of ${lane.kind} ${lane.objId.slice(0, 8)}.`);
    }
    this.updateRelativeButton();
    this.changed();
  }

  private relativeOrigin(): number | undefined {
    if (!this.relativeTo) return undefined;
    return this.lanes.getByKey(this.relativeTo)?.startTs;
  }

  private revealTime(ts: number): void {
    if (ts < this.view.start || ts > this.view.end) {
      this.stopFollowing();
      this.view = centeredOn(this.view, ts);
    }
  }

  private centerOn(target: { laneId?: number; seq?: number; ts?: number; endTs?: number }): void {
    this.stopFollowing();
    if (target.ts !== undefined) {
      this.view = target.endTs !== undefined ? centeredOnRange(this.view, target.ts, target.endTs) : centeredOn(this.view, target.ts);
    }
    if (target.laneId !== undefined) {
      const lane = this.lanes.get(target.laneId);
      if (lane && this.collapsed.delete(groupCollapseKey(lane.kind))) this.bumpCollapsed();
      const row = this.layout().layout.rowOfLane.get(target.laneId);
      if (row !== undefined) {
        this.focusedRow = row;
        this.scrollTop = Math.max(0, this.layout().layout.tops[row] - this.plotHeight / 2);
        if (lane) this.announce(`Centred on ${lane.kind} ${lane.objId.slice(0, 8)}.`);
      }
    }
    if (target.seq !== undefined) this.selectedSeq = target.seq;
    this.changed();
  }

  // ---- filter ----

  onFilterInput(): void {
    if (this.filterTimer !== undefined) clearTimeout(this.filterTimer);
    this.filterTimer = setTimeout(() => {
      this.filterTimer = undefined;
      // The box takes the tree's syntax (text and user:…); the selects add a type and a subclass.
      const typed = parseFilter(this.dom.filterText.value);
      const type = this.dom.filterType.value;
      const subclass = this.dom.filterSubclass.value;
      const filter: TimelineFilter = {};
      if (typed.text) filter.text = typed.text;
      if (typed.users) filter.users = typed.users;
      const types = [...(typed.types ?? []), ...(type ? [type] : [])];
      const subclasses = [...(typed.subclasses ?? []), ...(subclass ? [subclass] : [])];
      if (types.length) filter.types = types;
      if (subclasses.length) filter.subclasses = subclasses;
      this.host.post({ type: 'setFilter', filter });
    }, FILTER_DELAY_MS);
  }

  private showFilter(filter: TimelineFilter): void {
    if (document.activeElement !== this.dom.filterText) this.dom.filterText.value = formatFilter({ text: filter.text, users: filter.users });
    this.ensureOption(this.dom.filterType, filter.types?.[0] ?? '');
    this.dom.filterType.value = filter.types?.[0] ?? '';
    this.ensureOption(this.dom.filterSubclass, filter.subclasses?.[0] ?? '');
    this.dom.filterSubclass.value = filter.subclasses?.[0] ?? '';
  }

  private renderTypeOptions(): void {
    const typeSelect = this.dom.filterType;
    const subclassSelect = this.dom.filterSubclass;
    const currentType = typeSelect.value;
    const currentSubclass = subclassSelect.value;
    const typeNames = [...new Set(this.types.map((t) => t.name))].sort();
    const subclasses = [...new Set(['session', 'room', 'call', ...this.types.map((t) => t.subclass)])];
    fillSelect(typeSelect, 'All types', typeNames);
    fillSelect(subclassSelect, 'All subclasses', subclasses.filter((s) => s !== ''));
    this.ensureOption(typeSelect, currentType);
    typeSelect.value = currentType;
    this.ensureOption(subclassSelect, currentSubclass);
    subclassSelect.value = currentSubclass;
  }

  private ensureOption(select: HTMLSelectElement, value: string): void {
    if (value === '' || Array.from(select.options).some((o) => o.value === value)) return;
    const option = document.createElement('option');
    option.value = value;
    option.textContent = value;
    select.append(option);
  }

  // ---- side pane, tooltip, announcements ----

  private renderLegend(): void {
    const legend = this.dom.legend;
    legend.replaceChildren();
    const present = new Map<ColorRole, string[]>();
    for (const t of this.types) {
      const role = colorRoleOf(t);
      const list = present.get(role) ?? [];
      list.push(t.name);
      present.set(role, list);
    }
    for (const role of COLOR_ROLES) {
      const names = present.get(role);
      if (!names) continue;
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.backgroundColor = this.palette.roles[role];
      const label = document.createElement('span');
      label.textContent = `${ROLE_LABELS[role]}: ${names.map((n) => n.split('/').slice(1).join('/')).join(', ')}`;
      item.append(swatch, label);
      legend.append(item);
    }
    const extras: Array<[string, string]> = [
      ['bar', 'lifetime (ended)'],
      ['bar-alive', 'lifetime (still alive)'],
      ['fault', 'ended with a fault (code, reason)'],
      ['declined', 'call declined: rejected, not answered, cancelled'],
      ['gap', 'connection lost'],
      ['anomaly', 'anomaly'],
      ['link', 'listener → publisher'],
    ];
    // Swatches take the canvas's own colours (the palette), so legend and plot agree in every
    // theme: the CSS colours had ended and alive lifetimes in the same blue in Light 2026.
    const swatchColor: Record<string, string> = {
      bar: this.palette.bar,
      'bar-alive': this.palette.barAlive,
      fault: this.palette.error,
      declined: this.palette.declined,
      gap: this.palette.gap,
      link: this.palette.link,
    };
    for (const [kind, text] of extras) {
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = `swatch swatch-${kind}`;
      if (swatchColor[kind]) swatch.style.backgroundColor = swatchColor[kind];
      if (kind === 'anomaly') swatch.style.borderTopColor = this.palette.warning;
      const label = document.createElement('span');
      label.textContent = text;
      item.append(swatch, label);
      legend.append(item);
    }
    // The signs the canvas draws beside names, drawn here the same way (codicon or glyph, colour).
    const signs: Array<[string, string, string]> = [
      ['codicon codicon-error', this.palette.error, 'beside a name: it ended with a fault'],
      ['codicon codicon-warning', this.palette.warning, 'beside a name: an anomaly (see its tooltip)'],
      ['↑', this.palette.publisher, 'a room member that publishes'],
      ['↓', this.palette.listener, 'a room member that listens to a publisher'],
    ];
    for (const [sign, color, text] of signs) {
      const item = document.createElement('li');
      const mark = document.createElement('span');
      mark.className = sign.startsWith('codicon') ? `legend-sign ${sign}` : 'legend-sign';
      if (!sign.startsWith('codicon')) mark.textContent = sign;
      mark.style.color = color;
      mark.setAttribute('aria-hidden', 'true');
      const label = document.createElement('span');
      label.textContent = text;
      item.append(mark, label);
      legend.append(item);
    }
  }

  private showDetails(details: Extract<ToWebview, { type: 'eventDetails' }>): void {
    this.selectedSeq = details.seq;
    const lane = this.lanes.getByKey(details.objectKey);
    const where = lane ? `${lane.kind} ${lane.objId}` : details.objectKey;
    this.dom.detailsSummary.textContent = `${details.typeName} · ${preciseTime(details.ts)} · ${where} · #${details.seq}`;
    // Text only: the JSON may hold anything a server (or an attacker) put in an event.
    this.dom.detailsJson.textContent = details.json;
    this.requestDraw();
  }

  showTooltip(hit: Hit, clientX: number, clientY: number): void {
    const tooltip = this.dom.tooltip;
    if (hit.position === undefined) {
      this.hideTooltip();
      return;
    }
    const position = hit.position;
    const seq = this.marks.seqAt(position);
    const ts = this.marks.tsAt(position);
    const type = this.types[this.marks.typeAt(position)];
    const lane = this.lanes.get(this.marks.laneAt(position));
    const origin = this.relativeOrigin();
    const lines = [
      origin === undefined ? preciseTime(ts) : `${preciseTime(ts)} (${offsetLabel(ts - origin, 1)})`,
      type?.name ?? 'unknown type',
      lane ? `${lane.kind} ${lane.objId}` : '',
    ];
    if (hit.nearby > 1) lines.push(`${hit.nearby} events here: zoom in to tell them apart`);
    tooltip.replaceChildren();
    for (const line of lines) {
      if (!line) continue;
      const div = document.createElement('div');
      div.textContent = line;
      tooltip.append(div);
    }
    const excerpt = document.createElement('div');
    excerpt.className = 'tooltip-excerpt';
    tooltip.append(excerpt);
    this.tooltipSeq = seq;
    const cached = this.excerpts.get(seq);
    if (cached !== undefined) excerpt.textContent = cached;
    else {
      excerpt.textContent = '…';
      this.host.post({ type: 'requestExcerpt', seq });
    }
    tooltip.hidden = false;
    const plotRect = this.dom.plot.getBoundingClientRect();
    const x = Math.min(clientX - plotRect.left + 14, plotRect.width - tooltip.offsetWidth - 4);
    const y = Math.min(clientY - plotRect.top + 14, plotRect.height - tooltip.offsetHeight - 4);
    tooltip.style.left = `${Math.max(0, x)}px`;
    tooltip.style.top = `${Math.max(0, y)}px`;
  }

  hideTooltip(): void {
    this.tooltipSeq = undefined;
    this.dom.tooltip.hidden = true;
  }

  private updateTooltipExcerpt(text: string): void {
    const excerpt = this.dom.tooltip.querySelector('.tooltip-excerpt');
    if (excerpt) excerpt.textContent = text;
  }

  private rememberExcerpt(seq: number, text: string): void {
    if (this.excerpts.size >= EXCERPT_CACHE_SIZE) {
      const oldest = this.excerpts.keys().next().value;
      if (oldest !== undefined) this.excerpts.delete(oldest);
    }
    this.excerpts.set(seq, text);
  }

  private announce(text: string): void {
    // Re-setting the same text would not be announced again: clear first.
    this.dom.announcer.textContent = '';
    this.dom.announcer.textContent = text;
  }

  private describeMark(position: number): string {
    const type = this.types[this.marks.typeAt(position)];
    const lane = this.lanes.get(this.marks.laneAt(position));
    const what = type ? `${type.type || type.name} event` : 'event';
    const of = lane ? ` of ${lane.kind} ${lane.objId.slice(0, 8)}` : '';
    return `${what}${of} at ${preciseTime(this.marks.tsAt(position))}`;
  }

  private describeRow(index: number): string {
    const { layout } = this.layout();
    const row = layout.rows[index];
    if (!row) return '';
    const position = `row ${index + 1} of ${layout.rows.length}`;
    if (row.kind === 'group') return `${GROUP_LABELS[row.group]} group, ${row.count} objects, ${row.collapsed ? 'collapsed' : 'expanded'}, ${position}.`;
    if (row.kind === 'member') {
      const m = row.lane.members[row.member];
      return `${m.role} ${m.user ?? ''} ${m.sessionId.slice(0, 8)} in room ${row.lane.objId.slice(0, 8)}, ${position}.`;
    }
    const lane = row.lane;
    const end = lane.endTs === undefined ? 'still alive' : `ended${lane.code !== undefined ? ` with code ${lane.code}` : ''}${lane.reason ? ` (${lane.reason})` : ''}`;
    const anomalies = lane.anomalies.length > 0 ? `, ${lane.anomalies.length} anomal${lane.anomalies.length === 1 ? 'y' : 'ies'}: ${lane.anomalies.map((a) => a.message).join('; ')}` : '';
    return `${lane.kind} ${lane.objId.slice(0, 8)} ${lane.state}, ${end}, ${lane.eventCount} events${anomalies}, ${position}.`;
  }

  private showMessage(text: string | undefined): void {
    this.dom.message.hidden = text === undefined;
    this.dom.message.textContent = text ?? '';
    if (text) this.announce(text);
  }

  private updateStatus(): void {
    const source = this.source;
    if (!source) return;
    const loading = this.caughtUp ? '' : ' · loading…';
    this.dom.status.textContent = `${source.name} · ${source.status} · ${this.lanes.size} objects · ${this.marks.size} events${loading}`;
  }

  private updateFollowButton(): void {
    this.dom.follow.setAttribute('aria-pressed', String(this.followLive));
    this.dom.follow.classList.toggle('active', this.followLive);
  }

  private updateRelativeButton(): void {
    this.dom.relative.setAttribute('aria-pressed', String(this.relativeTo !== undefined));
    this.dom.relative.classList.toggle('active', this.relativeTo !== undefined);
  }

  private dataBounds(): { min: number; max: number } | undefined {
    const lanes = this.lanes.timeBounds();
    const marks = this.marks.timeBounds();
    if (!lanes && !marks) return undefined;
    let min = Math.min(lanes?.min ?? Infinity, marks?.min ?? Infinity);
    let max = Math.max(lanes?.max ?? -Infinity, marks?.max ?? -Infinity);
    if (this.source?.growing) max = Math.max(max, this.now());
    if (!Number.isFinite(min)) min = max - 60_000;
    return { min, max };
  }

  /** Something the user sees changed: redraw, and remember the view for a reload. */
  private changed(): void {
    this.requestDraw();
    this.saveState();
  }

  private saveState(): void {
    if (this.saveTimer !== undefined || !this.viewInitialised) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      const state: TimelineViewState = {
        sourceId: this.sourceId || this.source?.id || '',
        viewStart: this.view.start,
        viewEnd: this.view.end,
        scrollTop: this.scrollTop,
        follow: this.followLive,
        collapsed: [...this.collapsed],
        relativeTo: this.relativeTo,
        selectedSeq: this.selectedSeq,
      };
      this.host.setState(state);
      this.host.post({ type: 'viewState', state });
    }, STATE_SAVE_DELAY_MS);
  }

  /** For the first frame: lanes groups are known even before marks. */
  get groupCount(): number {
    return GROUP_ORDER.filter((k) => this.lanes.group(k).length > 0).length;
  }
}

function fillSelect(select: HTMLSelectElement, allLabel: string, values: readonly string[]): void {
  select.replaceChildren();
  const all = document.createElement('option');
  all.value = '';
  all.textContent = allLabel;
  select.append(all);
  for (const value of values) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = value;
    select.append(option);
  }
}
