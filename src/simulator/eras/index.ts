// The era writers by dialect id: each turns the simulator's canonical changes into the events
// and snapshot replies of one server generation.
import type { DialectId } from '../../protocol/dialects';
import { AUGUST_2016_WRITER } from './august2016';
import { DEVELOP_2017_WRITER } from './develop2017';
import { JULY_2016_WRITER } from './july2016';
import { NKCOLLAB_DEVELOP_2017_WRITER, NKCOLLAB_MASTER_2016_WRITER } from './nkcollab';
import { OCTOBER_2016_WRITER } from './october2016';
import type { EraWriter } from './shared';

export type { CommandReply, EraFeatures, EraWriter } from './shared';
export { endAtom, endOf } from './shared';
export { endBody, errorData, codeEntry, formatText, hasAtom, type EndBody, type ErrorData } from './codes';
export { serverRules, type ServerRules } from './serverRules';

const WRITERS: Readonly<Record<DialectId, EraWriter>> = {
  '2016-07': JULY_2016_WRITER,
  '2016-08': AUGUST_2016_WRITER,
  '2016-10': OCTOBER_2016_WRITER,
  '2017': DEVELOP_2017_WRITER,
  'nkcollab-2016': NKCOLLAB_MASTER_2016_WRITER,
  'nkcollab-2017': NKCOLLAB_DEVELOP_2017_WRITER,
};

export function eraWriter(id: DialectId): EraWriter {
  return WRITERS[id];
}

/** The dialect the simulator speaks unless told otherwise: the seed reference's era. */
export const DEFAULT_SIMULATOR_DIALECT: DialectId = '2016-08';
