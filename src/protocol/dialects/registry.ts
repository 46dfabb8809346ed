// Every dialect by id.
import { AUGUST_2016 } from './august2016';
import { DEVELOP_2017 } from './develop2017';
import { JULY_2016 } from './july2016';
import { NKCOLLAB_DEVELOP_2017, NKCOLLAB_MASTER_2016 } from './nkcollab';
import { OCTOBER_2016 } from './october2016';
import type { Dialect, DialectId } from './types';

export const DIALECTS: Readonly<Record<DialectId, Dialect>> = {
  '2016-07': JULY_2016,
  '2016-08': AUGUST_2016,
  '2016-10': OCTOBER_2016,
  '2017': DEVELOP_2017,
  'nkcollab-2016': NKCOLLAB_MASTER_2016,
  'nkcollab-2017': NKCOLLAB_DEVELOP_2017,
};
