// The few things input can ask of the timeline. The keymap and the pointer call these and
// nothing else (like the delegate of Chrome DevTools' flame chart), so that input knows no
// state, and the state knows no events of the browser. Coordinates are canvas CSS pixels.

/** Actions without arguments: each has a key in the keymap, most a toolbar button too. */
export type TimelineCommand =
  | 'zoomIn'
  | 'zoomOut'
  | 'fitAll'
  | 'goToStart'
  | 'goToEnd'
  | 'toggleFollow'
  | 'toggleRelative'
  | 'previousEvent'
  | 'nextEvent'
  | 'clearSelection'
  | 'bookmark';

export interface PointerPosition {
  /** Canvas CSS pixels. */
  readonly x: number;
  readonly y: number;
  /** Page coordinates, to place the tooltip. */
  readonly clientX: number;
  readonly clientY: number;
}

export interface TimelineActions {
  run(command: TimelineCommand): void;
  /** factor < 1 zooms in, keeping the time under canvas x `anchorX` in place. */
  zoomAt(factor: number, anchorX: number): void;
  /** Pans in time by a fraction of the visible span (positive: later). */
  panTime(fraction: number): void;
  scrollRows(dy: number): void;
  /** A drag moved by dx, dy pixels since the last call. */
  dragBy(dx: number, dy: number): void;
  /** The range being brushed, between two canvas x. */
  brush(fromX: number, toX: number): void;
  /** The brush ends: zoom into it, or drop it (a cancelled pointer). */
  endBrush(apply: boolean): void;
  /** The pointer hovers here (undefined: it left the canvas). */
  pointAt(position: PointerPosition | undefined): void;
  clickAt(x: number, y: number): void;
  /** Keyboard focus moves by rows, or by a page. */
  moveFocus(by: number | 'pageUp' | 'pageDown'): void;
  /** Enter or Space on the focused row. */
  activateFocused(key: 'Enter' | 'Space'): void;
}
