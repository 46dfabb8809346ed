// Every era the inspector speaks, and the vocabulary the event store derives state with. A
// vocabulary is one dialect's tables, or (setting `auto`, traces without a dialect) the union
// of all of them: no name means two different things across eras, so the union can read any
// server, while one era's tables also tell which types that era never sent.
import { EndCodeJudge, type EndCodeOverrides, type EndJudgement } from './endCodes';
import { SNAPSHOT } from './meanings';
import { DIALECTS } from './registry';
import { ANY_ERA_CODES } from './unionCodes';
import { DIALECT_IDS, DIALECT_SETTINGS, type Dialect, type DialectId, type DialectSetting, type EventMeaning, type TrackedKind, type VocabularyTable } from './types';

export * from './types';
export { EndCodeJudge, verdictOfReason, type EndCodeOverrides, type EndJudgement } from './endCodes';
export { DIALECTS } from './registry';
export { DialectDetector, type DetectedDialect } from './detect';
export { meaningOfErrorCode } from './errorMeaning';


export function isDialectId(value: unknown): value is DialectId {
  return typeof value === 'string' && (DIALECT_IDS as readonly string[]).includes(value);
}

export function isDialectSetting(value: unknown): value is DialectSetting {
  return typeof value === 'string' && (DIALECT_SETTINGS as readonly string[]).includes(value);
}

/**
 * The inspector's own record of a `get_info` reply about an object that existed before we
 * connected (snapshot.ts). The colon keeps it apart from every server type name.
 */
export const SNAPSHOT_EVENT_TYPE = 'inspector:snapshot';

/** Types the inspector writes itself start with this; a replay does not send them. */
export const INSPECTOR_TYPE_PREFIX = 'inspector:';

/** What the store asks about each new event type, once. */
export interface TypeLookup {
  meaning: EventMeaning | undefined;
  /** Listed in the vocabulary's own tables (an era's, or any era's for the union). */
  known: boolean;
}

/** One dialect's tables, or the union of all: what the event store derives state with. */
export interface Vocabulary {
  readonly id: DialectId | 'any';
  readonly label: string;
  kindOf(cls: string, subclass: string): TrackedKind | 'other';
  lookup(cls: string, subclass: string, type: string): TypeLookup;
  judgeEnd(code: number | string | undefined, reason: string | undefined): EndJudgement;
}

const has = Object.prototype.hasOwnProperty;

function subclassOf(table: VocabularyTable, cls: string, subclass: string) {
  const bySubclass = has.call(table, cls) ? table[cls] : undefined;
  return bySubclass && has.call(bySubclass, subclass) ? bySubclass[subclass] : undefined;
}

function meaningIn(table: VocabularyTable, cls: string, subclass: string, type: string): EventMeaning | undefined {
  const entry = subclassOf(table, cls, subclass);
  return entry && has.call(entry.types, type) ? entry.types[type] : undefined;
}

/** Every era's vocabulary in one table; the first era to list a type gives its meaning. */
function unionOf(dialects: readonly Dialect[]): VocabularyTable {
  const union: Record<string, Record<string, { kind: TrackedKind | 'other'; types: Record<string, EventMeaning> }>> = {};
  for (const dialect of dialects) {
    for (const [cls, subclasses] of Object.entries(dialect.vocabulary)) {
      for (const [subclass, entry] of Object.entries(subclasses)) {
        const target = ((union[cls] ??= {})[subclass] ??= { kind: entry.kind, types: {} });
        for (const [type, meaning] of Object.entries(entry.types)) if (!has.call(target.types, type)) target.types[type] = meaning;
      }
    }
  }
  return union;
}

const UNION = unionOf(DIALECT_IDS.map((id) => DIALECTS[id]));
const ANY_ERA_JUDGE = new EndCodeJudge(ANY_ERA_CODES.codes, ANY_ERA_CODES.ambiguous);

class TableVocabulary implements Vocabulary {
  private readonly judge: EndCodeJudge;

  constructor(
    readonly id: DialectId | 'any',
    readonly label: string,
    private readonly own: VocabularyTable,
    codes: Dialect['codes'],
    ambiguous: readonly number[],
    overrides: EndCodeOverrides | undefined,
  ) {
    this.judge = new EndCodeJudge(codes, ambiguous, overrides);
  }

  kindOf(cls: string, subclass: string): TrackedKind | 'other' {
    return (subclassOf(this.own, cls, subclass) ?? subclassOf(UNION, cls, subclass))?.kind ?? 'other';
  }

  lookup(cls: string, subclass: string, type: string): TypeLookup {
    const own = meaningIn(this.own, cls, subclass, type);
    if (own) return { meaning: own, known: true };
    if (type === SNAPSHOT_EVENT_TYPE && this.kindOf(cls, subclass) !== 'other') return { meaning: SNAPSHOT, known: true };
    // Another era's name: understood, but this era never sent it, which is worth a look.
    return { meaning: meaningIn(UNION, cls, subclass, type), known: false };
  }

  judgeEnd(code: number | string | undefined, reason: string | undefined): EndJudgement {
    const own = this.judge.judge(code, reason);
    // A code or text this era's tables lack may be another era's (a trace named the era
    // before nkcollab's calls showed up; a server built later than its era): ask them all.
    if (own.atom !== undefined || own.verdict !== 'fault' || this.id === 'any') return own;
    const any = ANY_ERA_JUDGE.judge(code, reason);
    return any.atom !== undefined ? any : own;
  }
}

/**
 * The vocabulary for a setting: one era's tables, or with `auto` (and for traces that name no
 * dialect) every era's. `overrides` are the user's own end codes (setting `nkmedia.endCodes`).
 */
export function vocabularyFor(setting: DialectSetting | undefined, overrides?: EndCodeOverrides): Vocabulary {
  if (setting === undefined || setting === 'auto') return new TableVocabulary('any', 'any era', UNION, ANY_ERA_CODES.codes, ANY_ERA_CODES.ambiguous, overrides);
  const dialect = DIALECTS[setting];
  return new TableVocabulary(dialect.id, dialect.label, dialect.vocabulary, dialect.codes, dialect.ambiguousCodes, overrides);
}

/** The union of every era's tables, for code that must not depend on a setting. */
export const ANY_ERA: Vocabulary = vocabularyFor('auto');
