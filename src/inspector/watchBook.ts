// The user's watches (#14, "event breakpoints") across every open source: the list the
// Watches view shows and edits, kept in the workspace, and one StoreWatcher per source.
//
// - A live source's watcher runs after each store change (every 100 ms at most) on what
//   arrived since: a watch counts from when it is set, as a breakpoint does, and its hits
//   are reported (`onDidHit`) for the editor to act on (notify, reveal, pause, marker).
// - A trace is run through its watches whole, when it opens and when a watch changes: its
//   hits are counted and listed, never acted on (nothing is happening in a file).
import { Emitter, type Disposable } from '../shared/events';
import type { SourceRegistry } from './sourceRegistry';
import type { Source } from './source';
import { StoreWatcher, WATCH_ACTIONS, type WatchAction, type WatchHits, type WatchSpec } from './storeWatcher';
import { parseWatch } from './watchExpression';
import type { WatchHit } from './watchScan';

/** Where the list is kept between sessions (the workspace's state in the editor). */
export interface WatchStorage {
  load(): unknown;
  save(specs: readonly WatchSpec[]): void;
}

export interface SourceWatchHits extends WatchHits {
  readonly source: Source;
}

export interface SourceWatchHit {
  readonly sourceId: string;
  readonly hit: WatchHit;
}

/** Watches kept; more is a mistake (each costs a test per event). */
export const MAX_WATCHES = 50;
const MAX_EXPRESSION_LENGTH = 500;

interface Attached {
  readonly source: Source;
  watcher: StoreWatcher;
  readonly subscription?: Disposable;
}

export class WatchBook implements Disposable {
  private list: WatchSpec[];
  private readonly attached = new Map<string, Attached>();
  private readonly disposables: Disposable[] = [];
  private readonly _onDidChange = new Emitter<void>();
  /** The list, a count or the recent hits changed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidHit = new Emitter<SourceWatchHits>();
  /** New hits on a live source, one report per watch per run. */
  readonly onDidHit = this._onDidHit.event;

  constructor(
    private readonly registry: SourceRegistry,
    private readonly storage: WatchStorage,
  ) {
    this.list = readSpecs(storage.load());
    this.disposables.push(registry.onDidChange(() => this.syncSources()));
    this.syncSources();
  }

  specs(): readonly WatchSpec[] {
    return this.list;
  }

  get(id: string): WatchSpec | undefined {
    return this.list.find((w) => w.id === id);
  }

  /** Adds a watch; a bad expression is refused with its message (which names the column). */
  add(expression: string, action: WatchAction): WatchSpec | { error: string } {
    const refused = checkExpression(expression);
    if (refused) return { error: refused };
    if (this.list.length >= MAX_WATCHES) return { error: `at most ${MAX_WATCHES} watches: remove one first` };
    const spec: WatchSpec = { id: this.freshId(), expression: expression.trim(), action, enabled: true };
    this.replaceList([...this.list, spec]);
    return spec;
  }

  /** Changes a watch's expression or action; a new expression starts its count again. */
  edit(id: string, change: { expression?: string; action?: WatchAction }): WatchSpec | { error: string } {
    const current = this.get(id);
    if (!current) return { error: 'that watch was removed' };
    if (change.expression !== undefined) {
      const refused = checkExpression(change.expression);
      if (refused) return { error: refused };
    }
    const updated: WatchSpec = { ...current, expression: change.expression?.trim() ?? current.expression, action: change.action ?? current.action };
    this.replaceList(this.list.map((w) => (w.id === id ? updated : w)));
    return updated;
  }

  setEnabled(id: string, enabled: boolean): void {
    if (!this.get(id)) return;
    this.replaceList(this.list.map((w) => (w.id === id ? { ...w, enabled } : w)));
  }

  remove(id: string): void {
    this.replaceList(this.list.filter((w) => w.id !== id));
  }

  /** Hits so far over every source. */
  count(id: string): number {
    let total = 0;
    for (const a of this.attached.values()) total += a.watcher.count(id);
    return total;
  }

  /** The latest hits over every source, newest first. */
  recentHits(id: string): SourceWatchHit[] {
    const all: SourceWatchHit[] = [];
    for (const a of this.attached.values()) for (const hit of a.watcher.recentHits(id)) all.push({ sourceId: a.source.id, hit });
    return all.sort((x, y) => y.hit.ts - x.hit.ts || y.hit.seq - x.hit.seq);
  }

  dispose(): void {
    for (const a of this.attached.values()) a.subscription?.dispose();
    this.attached.clear();
    for (const d of this.disposables) d.dispose();
    this._onDidChange.dispose();
    this._onDidHit.dispose();
  }

  private replaceList(list: WatchSpec[]): void {
    this.list = list;
    this.storage.save(list);
    for (const a of this.attached.values()) {
      if (a.source.kind === 'trace') a.watcher = this.scanWhole(a.source);
      else a.watcher.setWatches(list);
    }
    this._onDidChange.fire();
  }

  private syncSources(): void {
    const open = new Set(this.registry.list().map((s) => s.id));
    for (const [id, a] of this.attached) {
      if (open.has(id) && this.registry.get(id) === a.source) continue;
      a.subscription?.dispose();
      this.attached.delete(id);
    }
    for (const source of this.registry.list()) {
      if (this.attached.has(source.id)) continue;
      if (source.kind === 'trace') {
        this.attached.set(source.id, { source, watcher: this.scanWhole(source) });
        continue;
      }
      const watcher = new StoreWatcher(source.store, (hits) => this._onDidHit.fire({ ...hits, source }));
      watcher.setWatches(this.list);
      const attached: Attached = {
        source,
        watcher,
        subscription: source.store.onDidChange((change) => {
          if (change.cleared) attached.watcher.reset();
          const before = this.total(attached.watcher);
          attached.watcher.runTo();
          if (change.cleared || this.total(attached.watcher) !== before) this._onDidChange.fire();
        }),
      };
      this.attached.set(source.id, attached);
    }
    this._onDidChange.fire();
  }

  /** A trace's watcher, run over all it holds (its hits are listed, not acted on). */
  private scanWhole(source: Source): StoreWatcher {
    const watcher = new StoreWatcher(source.store, () => undefined);
    watcher.setWatches(this.list);
    watcher.reset();
    watcher.runTo();
    return watcher;
  }

  private total(watcher: StoreWatcher): number {
    let total = 0;
    for (const spec of this.list) total += watcher.count(spec.id);
    return total;
  }

  private freshId(): string {
    const taken = new Set(this.list.map((w) => w.id));
    for (let n = this.list.length + 1; ; n++) if (!taken.has(`w${n}`)) return `w${n}`;
  }
}

/** Why an expression cannot be a watch, or undefined when it can. */
export function checkExpression(expression: string): string | undefined {
  if (expression.length > MAX_EXPRESSION_LENGTH) return `a watch is at most ${MAX_EXPRESSION_LENGTH} characters`;
  const parsed = parseWatch(expression.trim());
  return parsed.ok ? undefined : parsed.error;
}

/**
 * The stored list, checked: what a workspace's state holds is read like any input. Entries
 * that are not a watch are dropped, never the whole list.
 */
function readSpecs(value: unknown): WatchSpec[] {
  if (!Array.isArray(value)) return [];
  const specs: WatchSpec[] = [];
  const ids = new Set<string>();
  for (const item of value.slice(0, MAX_WATCHES)) {
    if (typeof item !== 'object' || item === null) continue;
    const { id, expression, action, enabled } = item as Record<string, unknown>;
    if (typeof id !== 'string' || ids.has(id) || typeof expression !== 'string' || checkExpression(expression)) continue;
    if (!WATCH_ACTIONS.includes(action as WatchAction)) continue;
    ids.add(id);
    specs.push({ id, expression, action: action as WatchAction, enabled: enabled !== false });
  }
  return specs;
}
