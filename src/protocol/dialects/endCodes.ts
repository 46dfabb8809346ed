// How an object ended: normal, declined or a fault. A terminal event carries `{code, reason}`
// made by the era's error_code table from a reason atom (codeTables/), so the verdict is the
// verdict of that atom. The reason text names it in every era (the text is the table's), and
// the code does where the era gives each atom its own code: in July 2016 every nkservice
// reason was 1000 and every nkmedia one 2000, so there only the text tells.
//
// A normal end is not a zero code: NkMEDIA stops a session through the API with `user_stop`,
// which is 1013 in Aug–Sep 2016 and 100011 from 29 Sep 2016.
import type { CodeEntry, EndVerdict } from './types';

/** Reasons that end an object as intended: stops, hangups, a room emptied or destroyed. */
const NORMAL_REASONS = [
  'normal',
  'normal_termination',
  'user_stop',
  'api_stop',
  // The process that created the object (usually the client's API connection) went away, e.g. a
  // browser tab closed (nkmedia@4394517:src/nkmedia_api.erl:55-61, src/nkmedia_callbacks.erl:225-226).
  'registered_down',
  'member_stop',
  'session_stop',
  'bridge_stop',
  'peer_stopped',
  'peer_hangup',
  'caller_hangup',
  'callee_hangup',
  'call_stopped',
  'caller_stopped',
  'callee_stopped',
  'api_hangup',
  // The default reason of a call hung up through the API, in no table: it arrives as 9999
  // with the atom as its text (nkmedia@3215f72:src/nkmedia_api.erl:227).
  'user_hangup',
  'room_destroyed',
  'no_room_members',
  'no_participants',
  'publisher_stop',
  'publisher_stopped',
  'sip_bye',
  'janus_bye',
  'kms_bye',
  'verto_bye',
  'fs_channel_stop',
  'api_command',
] as const;

/** Ordinary outcomes of a call that was not taken: not faults, but worth their own colour. */
const DECLINED_REASONS = ['call_rejected', 'ring_timeout', 'no_answer', 'originator_cancel', 'no_destination', 'already_answered', 'sip_cancel', 'sip_rejected', 'verto_rejected'] as const;

const VERDICT_OF_REASON: ReadonlyMap<string, EndVerdict> = new Map<string, EndVerdict>([
  ...NORMAL_REASONS.map((atom): [string, EndVerdict] => [atom, 'normal']),
  ...DECLINED_REASONS.map((atom): [string, EndVerdict] => [atom, 'declined']),
]);

/** The verdict of a reason atom; unknown reasons are faults. */
export function verdictOfReason(atom: string): EndVerdict {
  return VERDICT_OF_REASON.get(atom) ?? 'fault';
}

/** The atom the tables give to "a reason no table lists" (codeTables/). */
const UNLISTED = 'unknown_error';
/** July 2016 wrote an unlisted reason as `Unknown Error: <atom>` (nkservice@cbdd973:src/nkservice_callbacks.erl:168-169). */
const UNLISTED_PREFIX = /^unknown error:\s*/i;

/** Codes and reasons a user adds (setting `nkmedia.endCodes`), each list of codes or reason texts. */
export interface EndCodeOverrides {
  normal?: ReadonlyArray<number | string>;
  declined?: ReadonlyArray<number | string>;
  fault?: ReadonlyArray<number | string>;
}

/** What an end means, and which table entry said so (for tooltips and stats). */
export interface EndJudgement {
  verdict: EndVerdict;
  /** The reason atom, when the code or text is in the era's table. */
  atom?: string;
  /** Why: `code 0`, `reason "User stop"`, `code 305004`, `your nkmedia.endCodes`, `unknown code`. */
  by: string;
}

/** Judges ends against one era's tables (or the union of them all). */
export class EndCodeJudge {
  private readonly byCode = new Map<number, CodeEntry>();
  /** Lower-cased fixed texts, and atoms themselves (an unlisted reason shows as its atom). */
  private readonly byText = new Map<string, CodeEntry>();
  /** Texts with an inserted value (`Unknown command '~s'`): matched by their fixed prefix. */
  private readonly byPrefix: Array<{ prefix: string; entry: CodeEntry }> = [];
  private readonly overrideCodes = new Map<string, EndVerdict>();
  private readonly overrideTexts = new Map<string, EndVerdict>();

  constructor(codes: readonly CodeEntry[], ambiguousCodes: readonly number[], overrides: EndCodeOverrides = {}) {
    const ambiguous = new Set(ambiguousCodes);
    const clashing = new Set<number>();
    for (const entry of codes) {
      const earlier = this.byCode.get(entry.code);
      // Two reasons with one code: the code still judges the end if both mean the same.
      if (earlier && verdictOfReason(earlier.atom) !== verdictOfReason(entry.atom)) clashing.add(entry.code);
      else if (!earlier) this.byCode.set(entry.code, entry);
      const marker = entry.text.search(/~[sp]/);
      if (marker >= 0) {
        const prefix = entry.text.slice(0, marker).trim().toLowerCase();
        if (prefix.length >= 4) this.byPrefix.push({ prefix, entry });
      } else if (entry.text.trim() !== '') {
        this.byText.set(entry.text.trim().toLowerCase(), entry);
      }
      if (!this.byText.has(entry.atom)) this.byText.set(entry.atom, entry);
    }
    // A code that reasons of different verdicts share says nothing by itself.
    for (const code of [...ambiguous, ...clashing]) this.byCode.delete(code);
    for (const verdict of ['normal', 'declined', 'fault'] as const) {
      for (const value of overrides[verdict] ?? []) {
        if (typeof value === 'number' || /^-?\d+$/.test(String(value).trim())) this.overrideCodes.set(String(value).trim(), verdict);
        else this.overrideTexts.set(String(value).trim().toLowerCase(), verdict);
      }
    }
  }

  /** The table entry a reason text names, if any. */
  entryOfText(reason: string): CodeEntry | undefined {
    const key = reason.trim().toLowerCase();
    const exact = this.byText.get(key);
    if (exact) return exact;
    for (const { prefix, entry } of this.byPrefix) if (key.startsWith(prefix)) return entry;
    return undefined;
  }

  entryOfCode(code: number | string): CodeEntry | undefined {
    const numeric = typeof code === 'number' ? code : Number(code.trim());
    return Number.isInteger(numeric) ? this.byCode.get(numeric) : undefined;
  }

  judge(code: number | string | undefined, reason: string | undefined): EndJudgement {
    const codeText = code === undefined ? undefined : String(code).trim();
    if (codeText !== undefined && this.overrideCodes.has(codeText)) return { verdict: this.overrideCodes.get(codeText)!, by: 'your nkmedia.endCodes' };
    const reasonKey = reason?.trim().toLowerCase();
    if (reasonKey && this.overrideTexts.has(reasonKey)) return { verdict: this.overrideTexts.get(reasonKey)!, by: 'your nkmedia.endCodes' };
    // The text first: in July 2016 code 0 was also a rejected Verto call, and an unlisted
    // reason (9999, 100999, 999999) comes with the reason atom itself as its text.
    const text = reason?.trim().replace(UNLISTED_PREFIX, '');
    const byText = text ? this.entryOfText(text) : undefined;
    if (byText && byText.atom !== UNLISTED) return { verdict: verdictOfReason(byText.atom), atom: byText.atom, by: `reason "${reason}"` };
    // A reason the era's table does not list, written as its atom (`normal` from 29 Sep 2016).
    const atom = text?.toLowerCase();
    if (atom && VERDICT_OF_REASON.has(atom)) return { verdict: VERDICT_OF_REASON.get(atom)!, atom, by: `reason "${reason}"` };
    if (codeText !== undefined && codeText !== '' && Number(codeText) === 0) return { verdict: 'normal', by: 'code 0' };
    const byCode = code === undefined ? undefined : this.entryOfCode(code);
    if (byCode && byCode.atom !== UNLISTED) return { verdict: verdictOfReason(byCode.atom), atom: byCode.atom, by: `code ${codeText}` };
    if (code === undefined && reason === undefined) return { verdict: 'normal', by: 'no code or reason' };
    return { verdict: 'fault', by: code === undefined ? 'unknown reason' : 'unknown code' };
  }
}
