// What of a source "Save Trace" and "Export…" write: everything, the objects the tree's filter
// shows, or the selected objects (for an export: with the objects related to them, so that a
// room comes with its sessions). One helper for both commands, so that the counts a pick shows
// are the counts the file gets.
import { describeFilter, isEmptyFilter, matchingObjectKeys, type EventFilter, type EventStore } from '../core';
import { relatedObjectKeys } from '../trace/relatedObjects';

export const TRACE_SCOPES = ['all', 'filtered', 'selected'] as const;
export type TraceScope = (typeof TRACE_SCOPES)[number];

export interface ScopeContext {
  /** The tree's filter. */
  filter: EventFilter;
  /** The keys of the objects selected in the tree (of this source), in selection order. */
  selectedKeys: readonly string[];
  /** "selected" brings each selected object's related objects too (exports do; saves do not). */
  withRelated: boolean;
}

/** One scope, resolved against a store: the objects it covers and how much that is. */
export interface ScopeChoice {
  scope: TraceScope;
  /** The objects written; undefined for everything (events of no object, and markers, included). */
  objectKeys: string[] | undefined;
  objects: number;
  events: number;
}

/** A scope asked for by name that does not apply now; the reason reads after "cannot export: ". */
export interface ScopeUnavailable {
  scope: TraceScope;
  unavailable: string;
}

/** The scope, or why it does not apply (no filter set, nothing selected). */
export function resolveScope(store: EventStore, scope: TraceScope, context: ScopeContext): ScopeChoice | ScopeUnavailable {
  switch (scope) {
    case 'all':
      return { scope, objectKeys: undefined, objects: store.objects().length, events: store.size };
    case 'filtered': {
      if (isEmptyFilter(context.filter)) return { scope, unavailable: 'no filter is set in the events tree' };
      return counted(store, scope, [...matchingObjectKeys(store, context.filter)]);
    }
    case 'selected': {
      const selected = context.selectedKeys.filter((key) => store.getObject(key) !== undefined);
      if (selected.length === 0) return { scope, unavailable: 'no object of this source is selected in the events tree' };
      const keys = context.withRelated ? [...new Set(selected.flatMap((key) => relatedObjectKeys(store, key)))] : selected;
      return counted(store, scope, keys);
    }
  }
}

/** The scopes that apply now, in the order a pick lists them: everything first. */
export function scopeChoices(store: EventStore, context: ScopeContext): ScopeChoice[] {
  return TRACE_SCOPES.map((scope) => resolveScope(store, scope, context)).filter(isChoice);
}

export function isChoice(value: ScopeChoice | ScopeUnavailable): value is ScopeChoice {
  return !('unavailable' in value);
}

/** A pick's label and description: what the scope is and how much it writes. */
export function scopeLabel(choice: ScopeChoice, context: ScopeContext): { label: string; description: string } {
  const amount = `${count(choice.objects, 'object')} · ${count(choice.events, 'event')}`;
  switch (choice.scope) {
    case 'all':
      return { label: '$(files) Everything', description: amount };
    case 'filtered':
      return { label: '$(filter) Filtered objects', description: `${amount} · filter ${describeFilter(context.filter)}` };
    case 'selected': {
      const selected = context.selectedKeys.length;
      if (!context.withRelated) return { label: `$(list-selection) Selected ${selected === 1 ? 'object' : 'objects'}`, description: amount };
      const label = selected === 1 ? '$(list-selection) Selected object and its relations' : '$(list-selection) Selected objects and their relations';
      return { label, description: amount };
    }
  }
}

function counted(store: EventStore, scope: TraceScope, objectKeys: string[]): ScopeChoice {
  const events = objectKeys.reduce((sum, key) => sum + store.eventCountOf(key), 0);
  return { scope, objectKeys, objects: objectKeys.length, events };
}

/** "1 event", "12,345 events". */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
