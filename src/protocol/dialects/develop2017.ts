// NkMEDIA and NkSERVICE develop of early 2017 (nkmedia@10eb4c3, 2017-02-22, on
// nkservice@ee00943): events come as `{class:"event", data}` with no tid (nkservice@007f18c,
// 2016-12-07), the login is not acked, the idle timeout is 180 s, error replies carry the
// error atom as a string code (nkservice@f9f688f, 2017-01-26); session type changes are
// `updated_type` again.
import { NKMEDIA_2017, NKSERVICE_2017 } from './codeTables/develop2017';
import { ANSWERED, ENDED, MEMBER_JOINED, MEMBER_LEFT, NONE, ROOM_CREATED, SESSION_CREATED, SESSION_TYPE } from './meanings';
import type { Dialect } from './types';

export const DEVELOP_2017: Dialect = {
  id: '2017',
  era: '2017',
  label: 'NkMEDIA develop 2017',
  sources: ['nkmedia@10eb4c3', 'nkservice@ee00943'],
  login: { acksFirst: false },
  frames: { eventRequests: false, eventMessages: true },
  // nkservice@ee00943:src/nkservice_util.erl:439-444 (misspelled key: 180 s), src/nkservice_syntax.erl:36-47
  keepalive: { idleTimeoutMs: 180_000, answerTimeoutMs: 10_000, serverPingSeconds: 60 },
  stringErrorCodes: true,
  codes: [...NKSERVICE_2017, ...NKMEDIA_2017],
  ambiguousCodes: [],
  vocabulary: {
    media: {
      // nkmedia@10eb4c3:src/nkmedia_session_api_events.erl:42-78
      session: {
        kind: 'session',
        types: {
          created: SESSION_CREATED,
          answer: ANSWERED,
          updated_type: SESSION_TYPE,
          candidate: NONE,
          candidate_end: NONE,
          updated_status: NONE,
          info: NONE,
          destroyed: ENDED,
          record: NONE,
        },
      },
      // nkmedia@10eb4c3:src/nkmedia_room_api_events.erl:39-58
      room: { kind: 'room', types: { created: ROOM_CREATED, started_member: MEMBER_JOINED, stopped_member: MEMBER_LEFT, status: NONE, info: NONE, destroyed: ENDED } },
    },
    // nkservice@ee00943:src/nkservice_api_lib.erl:144-161
    core: { session_event: { kind: 'other', types: { unrecognized_fields: NONE } } },
  },
  // nkmedia@10eb4c3:src/nkmedia_session_api.erl:139-147; src/nkmedia_room_api.erl:51-69
  snapshots: [
    { class: 'media', subclass: 'session', list: 'get_list', info: 'get_info', idField: 'session_id' },
    { class: 'media', subclass: 'room', list: 'get_list', info: 'get_info', idField: 'room_id' },
  ],
  collab: false,
};
