// Watch expressions (#14, "event breakpoints"): the filter syntax (text, user:, type:,
// subclass:) plus conditions on an event's fields and its object's age:
//   body.code=486   body.code!=0   body.reason=Busy   duration>5s   type=hangup
// Every condition must hold (AND). Values are compared as numbers when both sides are numbers,
// else as text (exactly: a watch asks a precise question, unlike the filter's substring).
// `duration` is the object's age at the event: its time since the object's first event.
// Parsed once; a bad expression is refused with what is wrong and where (a 1-based column).
import { parseFilter, type FilterFields } from '../shared/filterSyntax';

export type WatchOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface WatchCondition {
  /** `duration`, an event field (`type`, `subclass`, `class`, `obj_id`, `service`), or `body.a.b`. */
  field: string;
  operator: WatchOperator;
  /** As written, and as a number (ms for `duration`) when it reads as one. */
  text: string;
  number: number | undefined;
}

export interface WatchExpression {
  source: string;
  filter: FilterFields;
  conditions: WatchCondition[];
}

export type WatchParse = { ok: true; watch: WatchExpression } | { ok: false; error: string; column: number };

const EVENT_FIELDS = new Set(['type', 'subclass', 'class', 'obj_id', 'service']);
const CONDITION = /^([A-Za-z_][\w.]*)(!=|<=|>=|=|<|>)(.*)$/;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|min|h)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

export function parseWatch(source: string): WatchParse {
  const conditions: WatchCondition[] = [];
  const filterTokens: string[] = [];
  for (const { token, column } of tokens(source)) {
    const match = CONDITION.exec(token);
    // `type:stop` and plain words are the filter's; `a=b`, `a<b`… are conditions.
    if (!match) {
      filterTokens.push(token);
      continue;
    }
    const [, field, operator, text] = match as unknown as [string, string, WatchOperator, string];
    const valueColumn = column + field.length + operator.length;
    if (field !== 'duration' && !EVENT_FIELDS.has(field) && !/^body(\.[^.]+)+$/.test(field)) {
      return refuse(`unknown field "${field}": use body.<field>, duration, type, subclass, class, obj_id or service`, column);
    }
    if (text === '') return refuse(`"${field}${operator}" needs a value`, valueColumn);
    let number: number | undefined;
    if (field === 'duration') {
      const duration = DURATION.exec(text);
      if (!duration) return refuse(`"${text}" is not a duration: write e.g. 500ms, 5s, 2m`, valueColumn);
      number = Number(duration[1]) * UNIT_MS[duration[2] ?? 'ms'];
    } else {
      number = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
    }
    if (operator !== '=' && operator !== '!=' && number === undefined) {
      return refuse(`"${operator}" compares numbers, and "${text}" is not one`, valueColumn);
    }
    conditions.push({ field, operator, text, number });
  }
  const filter = parseFilter(filterTokens.join(' '));
  if (conditions.length === 0 && Object.keys(filter).length === 0) return refuse('an empty watch would match every event', 1);
  return { ok: true, watch: { source, filter, conditions } };
}

function refuse(error: string, column: number): WatchParse {
  return { ok: false, error: `${error} (at column ${column})`, column };
}

function tokens(source: string): Array<{ token: string; column: number }> {
  const found: Array<{ token: string; column: number }> = [];
  for (const match of source.matchAll(/\S+/g)) found.push({ token: match[0], column: (match.index ?? 0) + 1 });
  return found;
}

/**
 * `conditionsHold` of one watch, with its field paths split once: for testing every event as
 * it arrives (StoreWatcher), where a split per event and condition was an array each time.
 */
export function compileConditions(watch: WatchExpression): (data: Record<string, unknown>, ageMs: number) => boolean {
  const conditions = watch.conditions;
  const paths = conditions.map((c) => (c.field === 'duration' ? undefined : c.field.split('.')));
  return (data, ageMs) => {
    for (let i = 0; i < conditions.length; i++) {
      const path = paths[i];
      if (!compare(path === undefined ? ageMs : valueAt(data, path), conditions[i])) return false;
    }
    return true;
  };
}

/** Whether the event (its data as received) and its object's age pass every condition. */
export function conditionsHold(watch: WatchExpression, data: Record<string, unknown>, ageMs: number): boolean {
  for (const condition of watch.conditions) {
    const value = condition.field === 'duration' ? ageMs : fieldValue(data, condition.field);
    if (!compare(value, condition)) return false;
  }
  return true;
}

function fieldValue(data: Record<string, unknown>, field: string): unknown {
  return valueAt(data, field.split('.'));
}

function valueAt(data: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = data;
  for (const part of path) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function compare(value: unknown, condition: WatchCondition): boolean {
  // A missing field fails every condition but `!=`: "code!=0" holds for an event without a code.
  if (value === undefined || value === null || typeof value === 'object') return condition.operator === '!=';
  const asNumber = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
  if (condition.number !== undefined && asNumber !== undefined) {
    const a = asNumber;
    const b = condition.number;
    switch (condition.operator) {
      case '=':
        return a === b;
      case '!=':
        return a !== b;
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      case '>=':
        return a >= b;
    }
  }
  const equal = String(value) === condition.text;
  if (condition.operator === '=') return equal;
  if (condition.operator === '!=') return !equal;
  return false;
}
