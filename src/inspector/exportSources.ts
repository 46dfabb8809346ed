// Which sources "Export…" offers and how it names them. A user with a trace open in the editor
// and a live connection in the tree must see which one an export is of: the trace of the active
// trace editor comes first and says so (even before it is loaded as a source), a live source
// names its server, and every entry says how many events it holds.
import * as path from 'path';
import type { Source } from './source';
import { count } from './traceScope';

/** What the choice needs of a source: a live one has a `url`, a trace one a `filePath`. */
export type ExportableSource = Pick<Source, 'id' | 'name' | 'kind'> & { readonly store: { readonly size: number }; readonly url?: string; readonly filePath?: string };

export interface SourceChoice<S extends ExportableSource = ExportableSource> {
  /** The open source; undefined for the active editor's trace that is not loaded yet. */
  source: S | undefined;
  /** The trace file of the active editor, when this entry is that trace. */
  activeEditorPath: string | undefined;
  label: string;
  description: string;
  /** One line for a title when there is nothing to choose: "Live: demo · ws://… · 12 events". */
  title: string;
}

/**
 * The sources to offer, the active trace editor's first (`activeTracePath`: the file it shows),
 * then the others in the tree's order.
 */
export function exportSourceChoices<S extends ExportableSource>(sources: readonly S[], activeTracePath: string | undefined): Array<SourceChoice<S>> {
  const active = activeTracePath === undefined ? undefined : path.resolve(activeTracePath);
  const activeSource = active === undefined ? undefined : sources.find((s) => s.filePath !== undefined && path.resolve(s.filePath) === active);
  const choices: Array<SourceChoice<S>> = [];
  if (active !== undefined) {
    if (activeSource) choices.push(choiceOf(activeSource, active));
    else {
      const name = path.basename(active);
      const description = 'active editor · loads when picked';
      choices.push({ source: undefined, activeEditorPath: active, label: `$(file) Trace: ${name}`, description, title: `Trace: ${name} · ${description}` });
    }
  }
  for (const source of sources) if (source !== activeSource) choices.push(choiceOf(source, undefined));
  return choices;
}

/** How an export names an open source; `activeEditorPath` when it is the active editor's trace. */
export function choiceOf<S extends ExportableSource>(source: S, activeEditorPath: string | undefined): SourceChoice<S> {
  const events = count(source.store.size, 'event');
  if (source.kind === 'live') {
    const where = source.url === undefined ? events : `${source.url} · ${events}`;
    return { source, activeEditorPath, label: `$(plug) Live: ${source.name}`, description: where, title: `Live: ${source.name} · ${where}` };
  }
  const description = activeEditorPath === undefined ? events : `active editor · ${events}`;
  return { source, activeEditorPath, label: `$(file) Trace: ${source.name}`, description, title: `Trace: ${source.name} · ${description}` };
}
