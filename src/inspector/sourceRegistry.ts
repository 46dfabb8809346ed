// The list of sources the inspector shows, in the order they were added.
import { Emitter, type Disposable } from '../shared/events';
import type { Source } from './source';

export class SourceRegistry {
  private readonly sources: Source[] = [];
  private readonly statusSubscriptions = new Map<Source, Disposable>();
  private readonly _onDidChange = new Emitter<void>();
  /** A source was added or removed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidChangeStatus = new Emitter<Source>();
  /** One of the sources changed status (connected, reconnecting…). */
  readonly onDidChangeStatus = this._onDidChangeStatus.event;

  list(): readonly Source[] {
    return this.sources;
  }

  get(id: string): Source | undefined {
    return this.sources.find((s) => s.id === id);
  }

  add(source: Source): void {
    if (this.get(source.id)) throw new Error(`a source named ${source.id} is already open`);
    this.sources.push(source);
    this.statusSubscriptions.set(source, source.onDidChangeStatus(() => this._onDidChangeStatus.fire(source)));
    this._onDidChange.fire();
  }

  async remove(id: string): Promise<boolean> {
    const index = this.sources.findIndex((s) => s.id === id);
    if (index < 0) return false;
    const [source] = this.sources.splice(index, 1);
    this.statusSubscriptions.get(source)?.dispose();
    this.statusSubscriptions.delete(source);
    this._onDidChange.fire();
    await source.dispose();
    return true;
  }

  /** A fresh id based on `base`: `base`, `base (2)`, `base (3)`… */
  uniqueId(base: string): string {
    if (!this.get(base)) return base;
    for (let n = 2; ; n++) if (!this.get(`${base} (${n})`)) return `${base} (${n})`;
  }

  async dispose(): Promise<void> {
    const all = this.sources.splice(0);
    for (const subscription of this.statusSubscriptions.values()) subscription.dispose();
    this.statusSubscriptions.clear();
    await Promise.all(all.map((s) => s.dispose()));
    this._onDidChange.dispose();
    this._onDidChangeStatus.dispose();
  }
}
