// Every key of the timeline, in one table: the key handler, the spoken help (KEY_HELP) and
// the shortcuts shown on toolbar buttons all come from it, so they cannot disagree.
import type { TimelineActions, TimelineCommand } from './actions';

/** Zoom factor of one key press or button click (< 1: in). */
export const ZOOM_STEP = 0.5;
const PAN_STEP = 0.1;
const PAN_STEP_SHIFT = 0.5;

interface KeyBinding {
  /** KeyboardEvent.key values. */
  readonly keys: readonly string[];
  /** What the help sentence says about these keys. */
  readonly help: string;
  /** The command these keys run (and the shortcut its toolbar button shows). */
  readonly command?: TimelineCommand;
  /** The key as a button's title and aria-keyshortcuts show it. */
  readonly shortcut?: string;
  /** Ctrl with these keys is ours too (Ctrl+plus is zoom in every editor). */
  readonly withCtrl?: boolean;
  readonly run: (actions: TimelineActions, key: string, shift: boolean) => void;
}

const command = (name: TimelineCommand) => (actions: TimelineActions) => actions.run(name);

export const KEYMAP: readonly KeyBinding[] = [
  {
    keys: ['ArrowLeft', 'ArrowRight'],
    help: 'Left and Right pan (with Shift, half a screen)',
    run: (a, key, shift) => a.panTime((key === 'ArrowLeft' ? -1 : 1) * (shift ? PAN_STEP_SHIFT : PAN_STEP)),
  },
  { keys: ['+', '='], help: 'plus and minus zoom', command: 'zoomIn', shortcut: '+', withCtrl: true, run: command('zoomIn') },
  { keys: ['-', '_'], help: '', command: 'zoomOut', shortcut: '-', withCtrl: true, run: command('zoomOut') },
  { keys: ['Home'], help: 'Home and End go to the start and the end', command: 'goToStart', run: command('goToStart') },
  { keys: ['End'], help: '', command: 'goToEnd', run: command('goToEnd') },
  { keys: ['f', 'F', '0'], help: 'F fits everything', command: 'fitAll', shortcut: 'F', run: command('fitAll') },
  { keys: ['l', 'L'], help: 'L follows live events', command: 'toggleFollow', shortcut: 'L', run: command('toggleFollow') },
  { keys: ['ArrowUp', 'ArrowDown'], help: 'Up and Down move between rows', run: (a, key) => a.moveFocus(key === 'ArrowUp' ? -1 : 1) },
  { keys: ['PageUp', 'PageDown'], help: 'Page Up and Page Down move a page of rows', run: (a, key) => a.moveFocus(key === 'PageUp' ? 'pageUp' : 'pageDown') },
  {
    keys: ['Enter', ' '],
    help: "Enter selects the event nearest the middle or expands a group, Space also opens a room's members",
    run: (a, key) => a.activateFocused(key === 'Enter' ? 'Enter' : 'Space'),
  },
  { keys: ['['], help: 'open and close bracket select the previous and next event of the row', command: 'previousEvent', run: command('previousEvent') },
  { keys: [']'], help: '', command: 'nextEvent', run: command('nextEvent') },
  { keys: ['r', 'R'], help: "R shows times relative to the row's object", command: 'toggleRelative', shortcut: 'R', run: command('toggleRelative') },
  { keys: ['Escape'], help: 'Escape clears the selection', command: 'clearSelection', run: command('clearSelection') },
  { keys: ['b', 'B'], help: 'B adds a note on the selected event', command: 'bookmark', shortcut: 'B', run: command('bookmark') },
];

export const POINTER_HELP = 'Drag to pan, Shift+drag to zoom into a range, the wheel zooms.';

export const KEY_HELP = `Timeline. ${KEYMAP.map((b) => b.help)
  .filter(Boolean)
  .join(', ')}. ${POINTER_HELP}`;

const byKey = new Map<string, KeyBinding>(KEYMAP.flatMap((binding) => binding.keys.map((key) => [key, binding] as const)));

/** The parts of a KeyboardEvent the keymap reads (no DOM types: tested in Node). */
export interface KeyPress {
  readonly key: string;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
}

/** Runs the binding of a key; false when the key is not ours (the browser keeps it). */
export function handleKey(actions: TimelineActions, event: KeyPress): boolean {
  if (event.altKey || event.metaKey) return false;
  const binding = byKey.get(event.key);
  if (!binding || (event.ctrlKey && !binding.withCtrl)) return false;
  binding.run(actions, event.key, event.shiftKey);
  return true;
}

/** The shortcut a toolbar button shows for its command. */
export function shortcutOf(name: TimelineCommand): string {
  const binding = KEYMAP.find((b) => b.command === name);
  return binding?.shortcut ?? binding?.keys[0] ?? '';
}
