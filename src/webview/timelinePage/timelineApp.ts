// The timeline page put together: the host's messages go to the feed (data) or the panes,
// input goes through the actions below to the state, and every change asks the canvas for a
// frame and remembers the view for a reload. This file holds the glue and the words the
// user hears; the logic is in data/, state/, canvas/, panes/ and input/.
import type { TimelineFilter, TimelineViewState, ToWebview } from '../../shared/timelineProtocol';
import { CanvasView, type SceneFrame } from './canvas/canvasView';
import { FeedClient, isFeedMessage } from './data/feedClient';
import { GROUP_LABELS } from './data/laneModel';
import type { TimelineDom } from './dom';
import type { HostChannel } from './hostChannel';
import type { PointerPosition, TimelineActions, TimelineCommand } from './input/actions';
import { ZOOM_STEP } from './input/keymap';
import { DetailsPane } from './panes/details';
import { FilterBar } from './panes/filterBar';
import { renderLegend } from './panes/legend';
import { Toolbar } from './panes/toolbar';
import { describeMark, describeRow, laneName } from './state/describe';
import { GUTTER_WIDTH } from './state/geometry';
import { offsetLabel, preciseTime } from './state/ticks';
import { TimelineState } from './state/timelineState';

/** A change is saved (setState, and a viewState message to the host) this long after it, with any others made meanwhile. */
export const STATE_SAVE_DELAY_MS = 300;
/** How often a followed window (a frame every 16 ms) checks whether it is empty. */
const EMPTY_CHECK_MS = 250;

export class TimelineApp implements TimelineActions {
  private readonly feed: FeedClient;
  private readonly state: TimelineState;
  private readonly canvas: CanvasView;
  private readonly details: DetailsPane;
  private readonly filterBar: FilterBar;
  private readonly toolbar: Toolbar;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private emptyCheckedAt = -Infinity;

  constructor(
    private readonly dom: TimelineDom,
    private readonly host: HostChannel,
    private readonly sourceId: string,
  ) {
    this.feed = new FeedClient((message) => host.post(message));
    this.state = new TimelineState(this.feed);
    this.toolbar = new Toolbar(dom);
    this.details = new DetailsPane(dom, (seq) => host.post({ type: 'requestExcerpt', seq }));
    this.filterBar = new FilterBar(dom, (filter) => host.post({ type: 'setFilter', filter }));
    this.canvas = new CanvasView(dom, {
      resized: (size) => this.state.setSize(size),
      themeChanged: (palette) => renderLegend(dom.legend, this.feed.types, palette),
      scrolled: (top) => {
        this.state.scrollTo(top);
        this.changed();
      },
    });
    const saved = host.getState();
    if (saved && (saved.sourceId === sourceId || !sourceId)) this.restore(saved);
    // The serializer needs the source id even if no data ever arrives (the source is gone);
    // a restored state already has it, and must not be overwritten before init applies it.
    else host.setState({ sourceId });
    this.canvas.show({ frame: () => this.frame(), afterFrame: () => this.updateEmptyNote() });
  }

  // ---- messages from the host ----

  handle(message: ToWebview): void {
    if (isFeedMessage(message)) {
      const change = this.feed.handle(message);
      if (!change) return;
      if (change.typesChanged) {
        renderLegend(this.dom.legend, this.feed.types, this.canvas.palette);
        this.filterBar.setTypes(this.feed.types);
      }
      if (change.kind === 'init') this.onInit(change.filter);
      this.updateStatus();
      this.canvas.requestDraw();
      return;
    }
    switch (message.type) {
      case 'eventDetails': {
        this.state.markSelected(message.seq);
        const lane = this.feed.lanes.getByKey(message.objectKey);
        const where = lane ? `${lane.kind} ${lane.objId}` : message.objectKey;
        this.details.show(`${message.typeName} · ${preciseTime(message.ts)} · ${where} · #${message.seq}`, message.json, message.notes);
        this.canvas.requestDraw();
        break;
      }
      case 'eventMissing':
        this.details.clear(message.message);
        this.toolbar.announce(message.message);
        break;
      case 'excerpt':
        this.details.onExcerpt(message.seq, message.text);
        break;
      case 'center': {
        const lane = this.state.centerOn(message);
        if (lane) this.toolbar.announce(`Centred on ${laneName(lane)}.`);
        this.changedView();
        break;
      }
      case 'sourceGone':
        this.toolbar.message(message.message);
        break;
      case 'restoreView':
        // Our own saved state wins (after a window reload it is the same one); a view the
        // user already sees is never replaced.
        if (this.state.hasSavedView || this.state.isInitialised) return;
        if (message.state.sourceId !== this.sourceId && this.sourceId) return;
        this.restore(message.state);
        // Kept by VS Code from now on, so a reload before any data arrives still has it.
        this.host.setState(message.state);
        break;
    }
  }

  private restore(saved: Partial<TimelineViewState>): void {
    this.state.restore(saved);
    this.updatePressed();
  }

  private onInit(filter: TimelineFilter | undefined): void {
    if (filter) this.filterBar.show(filter);
    this.toolbar.message(undefined);
    if (this.state.initialise()) {
      // VS Code drops a hidden webview (no retainContextWhenHidden): coming back to the tab
      // reloads it from its saved state, which must bring back the selected event's details.
      const seq = this.state.selectedSeq;
      if (seq !== undefined) this.host.post({ type: 'selectEvent', seq, reveal: false });
    }
    this.updatePressed();
    this.changed();
  }

  // ---- actions (from the keymap, the pointer and the toolbar) ----

  run(command: TimelineCommand): void {
    const state = this.state;
    switch (command) {
      case 'zoomIn':
        state.zoom(ZOOM_STEP);
        break;
      case 'zoomOut':
        state.zoom(1 / ZOOM_STEP);
        break;
      case 'fitAll':
        state.fitAll();
        this.toolbar.announce('Showing all events.');
        break;
      case 'goToStart':
        state.goToStart();
        break;
      case 'goToEnd':
        state.goToEnd();
        if (state.follow) this.toolbar.announce('Following live events.');
        break;
      case 'toggleFollow':
        state.setFollow(!state.follow);
        this.toolbar.announce(state.follow ? 'Following live events.' : 'Stopped following live events.');
        break;
      case 'toggleRelative': {
        const result = state.toggleRelative();
        if (result === 'no-row') {
          this.toolbar.announce("Select a row first: times will be relative to its object's start.");
          return;
        }
        this.toolbar.announce(result === 'absolute' ? 'Times are absolute.' : `Times are relative to the start of ${laneName(result.relativeTo)}.`);
        break;
      }
      case 'previousEvent':
      case 'nextEvent': {
        const position = state.stepInFocusedRow(command === 'nextEvent' ? 1 : -1);
        if (position !== undefined) this.select(position);
        return;
      }
      case 'clearSelection':
        if (state.clearSelection() === 'selection') {
          this.details.clear();
          this.toolbar.announce('Selection cleared.');
        }
        break;
      case 'bookmark':
        // The host asks for the text (an input box): the page never writes a note itself.
        if (state.selectedSeq === undefined) this.toolbar.announce('Select an event first: the note goes on the selected event.');
        else this.host.post({ type: 'bookmark', seq: state.selectedSeq });
        return;
    }
    this.updatePressed();
    this.changed();
  }

  zoomAt(factor: number, anchorX: number): void {
    this.state.zoom(factor, this.state.timeAt(anchorX - GUTTER_WIDTH));
    this.changedView();
  }

  panTime(fraction: number): void {
    this.state.panTime(fraction);
    this.changedView();
  }

  scrollRows(dy: number): void {
    this.state.scrollBy(dy);
    this.changed();
  }

  dragBy(dx: number, dy: number): void {
    this.state.dragBy(dx, dy);
    this.changedView();
  }

  brush(fromX: number, toX: number): void {
    this.state.setBrush(fromX - GUTTER_WIDTH, toX - GUTTER_WIDTH);
    this.canvas.requestDraw();
  }

  endBrush(apply: boolean): void {
    if (!apply) this.state.cancelBrush();
    else {
      const view = this.state.applyBrush();
      if (view) this.toolbar.announce(`Zoomed to ${preciseTime(view.start)} – ${preciseTime(view.end)}.`);
    }
    this.changedView();
  }

  pointAt(position: PointerPosition | undefined): void {
    const hit = position && this.state.hitAt(position.x, position.y);
    if (this.state.setHover(hit?.row ?? -1)) this.canvas.requestDraw();
    if (!position || !hit || hit.position === undefined || position.x < GUTTER_WIDTH) {
      this.details.hideTooltip();
      return;
    }
    const marks = this.feed.marks;
    const ts = marks.tsAt(hit.position);
    const type = this.feed.types[marks.typeAt(hit.position)];
    const lane = this.feed.lanes.get(marks.laneAt(hit.position));
    const origin = this.state.relativeOrigin;
    const lines = [
      origin === undefined ? preciseTime(ts) : `${preciseTime(ts)} (${offsetLabel(ts - origin, 1)})`,
      type?.name ?? 'unknown type',
      lane ? `${lane.kind} ${lane.objId}` : '',
      hit.nearby > 1 ? `${hit.nearby} events here: zoom in to tell them apart` : '',
      // The user's notes at this mark: on its event, or on the object (at its first event).
      ...(lane?.notes ?? []).filter((n) => n.ts === ts && (n.eventType === undefined || n.eventType === type?.type)).map((n) => `✎ ${n.text}`),
    ];
    this.details.showTooltip({ seq: marks.seqAt(hit.position), lines }, position.clientX, position.clientY);
  }

  clickAt(x: number, y: number): void {
    const hit = this.state.hitAt(x, y);
    if (!hit) return;
    if (x < GUTTER_WIDTH) {
      this.state.focusRow(hit.row);
      this.toggleRow(hit.row);
    } else if (hit.position !== undefined) this.select(hit.position);
    else this.focusRow(hit.row);
  }

  moveFocus(by: number | 'pageUp' | 'pageDown'): void {
    const rows = by === 'pageUp' ? -this.state.pageRows() : by === 'pageDown' ? this.state.pageRows() : by;
    this.focusRow(this.state.focusedRow + rows);
  }

  activateFocused(key: 'Enter' | 'Space'): void {
    const index = this.state.focusedRow;
    const row = this.state.rowAt(index);
    if (!row) return;
    // Enter on a group, Space on a group or a room: expand or collapse; else select.
    if (row.kind === 'group' || (key === 'Space' && row.kind === 'lane' && row.lane.members.length > 0)) {
      this.toggleRow(index);
      return;
    }
    if (row.kind !== 'lane') return;
    const position = this.state.nearestInFocusedRow();
    if (position === undefined) this.toolbar.announce('This row has no events stored.');
    else this.select(position);
  }

  // ---- helpers of the actions ----

  private select(position: number): void {
    const seq = this.state.selectPosition(position);
    this.host.post({ type: 'selectEvent', seq });
    this.toolbar.announce(`Selected ${describeMark(this.feed.marks, this.feed.lanes, this.feed.types, position)}.`);
    this.updatePressed();
    this.changed();
  }

  private focusRow(index: number): void {
    if (!this.state.focusRow(index)) return;
    this.toolbar.announce(describeRow(this.state.layout().layout, this.state.focusedRow));
    this.changed();
  }

  private toggleRow(index: number): void {
    const toggled = this.state.toggleRow(index);
    if (!toggled) return;
    const { row, collapsed } = toggled;
    const name = row.kind === 'group' ? GROUP_LABELS[row.group] : row.kind === 'lane' ? `members of room ${row.lane.objId.slice(0, 8)}` : '';
    this.toolbar.announce(`${name} ${collapsed ? 'collapsed' : 'expanded'}.`);
    this.changed();
  }

  // ---- frames ----

  private frame(): SceneFrame {
    const state = this.state;
    const following = state.tick();
    if (following) this.saveState();
    state.clampToRows();
    const { layout, listenersOf } = state.layout();
    const marks = this.feed.marks;
    return {
      view: state.view,
      scrollTop: state.scrollTop,
      layout,
      listenersOf,
      lanes: this.feed.lanes,
      marks,
      roles: this.feed.roles,
      aliveEnd: this.feed.aliveEnd(state.view.end),
      connection: this.feed.connection,
      health: this.feed.health,
      selectedPosition: state.selectedSeq === undefined ? -1 : marks.positionOfSeq(state.selectedSeq),
      focusedRow: state.focusedRow,
      hoverRow: state.hoverRow,
      relativeOrigin: state.relativeOrigin,
      brush: state.brush,
      contentHeight: state.contentHeight(),
      animate: following,
      complete: this.feed.caughtUp,
    };
  }

  /**
   * Says so when the visible window has nothing in it (a plot with no bars or marks reads as
   * "broken"), and offers Fit all. While following live it checks at most every
   * EMPTY_CHECK_MS; other frames come from a change and check at once.
   */
  private updateEmptyNote(): void {
    const now = performance.now();
    if (this.state.follow && this.feed.growing && now - this.emptyCheckedAt < EMPTY_CHECK_MS) return;
    this.emptyCheckedAt = now;
    if (!this.state.isEmptyWindow()) {
      this.toolbar.emptyNote(undefined);
      return;
    }
    const { start, end } = this.state.view;
    const count = this.feed.lanes.size.toLocaleString('en-US');
    this.toolbar.emptyNote(`Nothing between ${preciseTime(start)} and ${preciseTime(end)}: the ${count} objects lie outside this window.`);
  }

  private updateStatus(): void {
    this.toolbar.status(this.feed.source, this.feed.lanes.size, this.feed.marks.size, !this.feed.caughtUp);
  }

  private updatePressed(): void {
    this.toolbar.pressed(this.state.follow, this.state.relativeTo !== undefined);
  }

  /** The time window moved by hand: following stops (the button says so). */
  private changedView(): void {
    this.updatePressed();
    this.changed();
  }

  /** Something the user sees changed: redraw, and remember the view for a reload. */
  private changed(): void {
    this.canvas.requestDraw();
    this.saveState();
  }

  private saveState(): void {
    if (this.saveTimer !== undefined || !this.state.isInitialised) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      const state = this.state.snapshot(this.sourceId || this.feed.source?.id || '');
      this.host.setState(state);
      this.host.post({ type: 'viewState', state });
    }, STATE_SAVE_DELAY_MS);
  }
}
