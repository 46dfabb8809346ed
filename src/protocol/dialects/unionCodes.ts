// Every era's error codes in one list, for judging ends and replies when the era is not known.
// A code two eras give to different reasons is left to the reason text (EndCodeJudge).
import { DIALECTS } from './registry';
import { DIALECT_IDS, type CodeEntry } from './types';

const ALL_DIALECTS = DIALECT_IDS.map((id) => DIALECTS[id]);

export const ANY_ERA_CODES: { readonly codes: readonly CodeEntry[]; readonly ambiguous: readonly number[] } = {
  codes: ALL_DIALECTS.flatMap((d) => d.codes),
  ambiguous: ALL_DIALECTS.flatMap((d) => d.ambiguousCodes),
};
