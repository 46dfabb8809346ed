// "Compare Objects" on the host, without VS Code: two objects named by source and key (of
// one open source or two, live or trace) become the page's view (src/trace/diffView.ts) of
// their diff (src/trace/objectDiff.ts), or the sentence that says why they cannot be
// compared now. The panel (src/vscode/diffPanel.ts) posts what this returns.
import type { ToDiffPage } from '../shared/diffProtocol';
import { diffView } from '../trace/diffView';
import { diffObjects, type DiffInput } from '../trace/objectDiff';
import type { Source } from './source';

/** An object of an open source, as the commands and the panel name it. */
export interface ObjectRef {
  readonly sourceId: string;
  readonly objectKey: string;
}

export interface SourceLookup {
  get(id: string): Source | undefined;
}

/** The diff of `a` and `b` as the page shows it, from what their stores hold now. */
export function compareObjects(sources: SourceLookup, a: ObjectRef, b: ObjectRef): ToDiffPage {
  const inputA = inputOf(sources, a, 'A');
  if (typeof inputA === 'string') return { type: 'error', message: inputA };
  const inputB = inputOf(sources, b, 'B');
  if (typeof inputB === 'string') return { type: 'error', message: inputB };
  const diff = diffObjects(inputA.input, inputB.input);
  return { type: 'diff', view: diffView(diff, { a: inputA.side, b: inputB.side }) };
}

function inputOf(sources: SourceLookup, ref: ObjectRef, label: 'A' | 'B') {
  const source = sources.get(ref.sourceId);
  if (!source) return `${label}: the source "${ref.sourceId}" is no longer open. Open it again (or reconnect) and Refresh.`;
  const object = source.store.getObject(ref.objectKey);
  if (!object) return `${label}: ${ref.objectKey} has no events stored in ${source.name} any more (cleared, or evicted to make room).`;
  const { id, label: dialectLabel } = source.server.dialect;
  const input: DiffInput = { file: source.name, store: source.store, object, dialect: { ...(id ? { id } : {}), label: dialectLabel } };
  return { input, side: { name: source.name, live: source.kind === 'live' } };
}

/** `session 39ce4076`: an object as a title or a pick names it (ids are long; 8 characters tell them apart). */
export function shortObjectName(sources: SourceLookup, ref: ObjectRef): string {
  const object = sources.get(ref.sourceId)?.store.getObject(ref.objectKey);
  const id = object?.objId ?? ref.objectKey.slice(ref.objectKey.lastIndexOf('/') + 1);
  return `${object?.kind ?? 'object'} ${id.length > 8 ? id.slice(0, 8) : id}`;
}

/** The panel's title: `Compare: session 39ce4076 ↔ session 7a1bc0de`. */
export function comparisonTitle(sources: SourceLookup, a: ObjectRef, b: ObjectRef): string {
  return `Compare: ${shortObjectName(sources, a)} ↔ ${shortObjectName(sources, b)}`;
}
