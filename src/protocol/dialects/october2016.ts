// NkMEDIA master from 29 Sep 2016 (nkmedia@4394517, 2016-10-12, and its head nkmedia@2448086,
// 2016-10-31, on nkservice@79bf10d, later the luerl branch): sessions end with `destroyed`, their type changes are
// `type`, rooms report `started_member` / `stopped_member` with a role; codes are six digits
// (user_stop 100011); snapshots are get_list / get_info.
import { NKMEDIA_2016_10, NKSERVICE_2016_10, NKSERVICE_2016_10_LATE } from './codeTables/october2016';
import { ANSWERED, ENDED, MEMBER_JOINED, MEMBER_LEFT, NONE, RINGING, ROOM_CREATED, SESSION_CREATED, SESSION_TYPE } from './meanings';
import type { Dialect } from './types';

export const OCTOBER_2016: Dialect = {
  id: '2016-10',
  era: '2016-10',
  label: 'NkMEDIA Oct 2016',
  sources: ['nkmedia@4394517', 'nkmedia@2448086', 'nkservice@79bf10d', 'nkservice@34c2917'],
  login: { acksFirst: true },
  frames: { eventRequests: true, eventMessages: false },
  keepalive: { idleTimeoutMs: 30_000, answerTimeoutMs: 5_000 },
  stringErrorCodes: false,
  // Builds from 20 Oct on (nkservice@e787fc0, on the luerl branch nkmedia master pulls) have the later table.
  codes: [...NKSERVICE_2016_10, ...NKSERVICE_2016_10_LATE, ...NKMEDIA_2016_10],
  // nkmedia@2448086 renumbered 300003-300005 (session_failed, incompatible_session, call_stopped at
  // 4394517). (100012 was api_stop, then member_stop: both normal, so it still judges.)
  ambiguousCodes: [300003, 300004, 300005],
  vocabulary: {
    media: {
      // nkmedia@4394517:src/nkmedia_api_events.erl:42-60; `created` and `status` from nkmedia@2448086
      session: {
        kind: 'session',
        types: { created: SESSION_CREATED, answer: ANSWERED, type: SESSION_TYPE, candidate: NONE, candidate_end: NONE, status: NONE, info: NONE, destroyed: ENDED },
      },
      // nkmedia@4394517:src/plugins/nkmedia_room_api_events.erl:39-54; `status`, `info` from nkmedia@2448086
      room: { kind: 'room', types: { created: ROOM_CREATED, destroyed: ENDED, started_member: MEMBER_JOINED, stopped_member: MEMBER_LEFT, status: NONE, info: NONE } },
      // nkmedia@4394517:src/plugins/nkmedia_call_api_events.erl:41-66 (answer and candidate go to the
      // linked connection only); calls left nkmedia for nkcollab on 17 Oct 2016 (nkmedia@2786028).
      call: { kind: 'call', types: { ringing: RINGING, accepted: ANSWERED, answer: ANSWERED, candidate: NONE, hangup: ENDED } },
    },
    // nkservice@79bf10d:src/nkservice_api.erl:84-98
    core: { session_event: { kind: 'other', types: { unrecognized_fields: NONE } } },
  },
  // nkmedia@4394517:src/nkmedia_api.erl:148-161; src/plugins/nkmedia_room_api.erl:51-61
  snapshots: [
    { class: 'media', subclass: 'session', list: 'get_list', info: 'get_info', idField: 'session_id' },
    { class: 'media', subclass: 'room', list: 'get_list', info: 'get_info', idField: 'room_id' },
  ],
  collab: false,
};
