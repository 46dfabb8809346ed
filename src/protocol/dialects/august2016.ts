// NkMEDIA of Aug–Sep 2016, the seed reference (nkmedia@3215f72, 2016-08-19, on
// nkservice@b780fbf): `stop` ends a session, `started` creates a room, publishers and
// listeners have their own events; codes are the 1000 range (user_stop 1013) and the nkmedia
// 2000 range. Room events of 28–29 Sep 2016 (`started_member`, `created`) are listed too: a
// server of those days sends both.
import { NKMEDIA_2016_08, NKSERVICE_2016_08 } from './codeTables/august2016';
import {
  ANSWERED,
  ENDED,
  LISTENER_JOINED,
  LISTENER_LEFT,
  MEMBER_JOINED,
  MEMBER_LEFT,
  NONE,
  PUBLISHER_JOINED,
  PUBLISHER_LEFT,
  RINGING,
  ROOM_CREATED,
  SESSION_TYPE,
} from './meanings';
import type { Dialect } from './types';

export const AUGUST_2016: Dialect = {
  id: '2016-08',
  era: '2016-08',
  label: 'NkMEDIA Aug 2016',
  sources: ['nkmedia@3215f72', 'nkmedia@adf1bf4', 'nkmedia@5fa0c01', 'nkmedia@7983222', 'nkservice@b780fbf', 'nkservice@0ea847a'],
  login: { acksFirst: true },
  frames: { eventRequests: true, eventMessages: false },
  keepalive: { idleTimeoutMs: 30_000, answerTimeoutMs: 5_000 },
  stringErrorCodes: false,
  codes: [...NKSERVICE_2016_08, ...NKMEDIA_2016_08],
  ambiguousCodes: [],
  vocabulary: {
    media: {
      // nkmedia@3215f72:src/nkmedia_events.erl:63-81; the type change is `session_type` from 31 Aug
      // (nkmedia@5fa0c01:src/nkmedia_events.erl:69-70), candidates from 27 Sep (nkmedia@89420cd),
      // `type` and `destroyed` from 28 Sep (nkmedia@7983222): a server of those days sends them.
      session: {
        kind: 'session',
        types: { answer: ANSWERED, info: NONE, updated_type: SESSION_TYPE, session_type: SESSION_TYPE, stop: ENDED, candidate: NONE, candidate_end: NONE, type: SESSION_TYPE, destroyed: ENDED },
      },
      // nkmedia@3215f72:src/nkmedia_events.erl:120-147 (listener `peer`); nkmedia@adf1bf4 (25 Aug,
      // `peer_id`); nkmedia@7983222:src/plugins/nkmedia_room_api_events.erl:41-51 (28 Sep, members)
      room: {
        kind: 'room',
        types: {
          started: ROOM_CREATED,
          destroyed: ENDED,
          started_publisher: PUBLISHER_JOINED,
          stopped_publisher: PUBLISHER_LEFT,
          started_listener: LISTENER_JOINED,
          stopped_listener: LISTENER_LEFT,
          started_member: MEMBER_JOINED,
          stopped_member: MEMBER_LEFT,
        },
      },
      // nkmedia@3215f72:src/nkmedia_events.erl:90-110
      call: { kind: 'call', types: { ringing: RINGING, answer: ANSWERED, hangup: ENDED } },
    },
    // From 28 Sep 2016 (nkservice@0ea847a:src/nkservice_api.erl); before, unknown keys were only logged.
    core: { session_event: { kind: 'other', types: { unrecognized_fields: NONE } } },
  },
  // nkmedia@3215f72:src/nkmedia_api.erl:127-141,254-269
  snapshots: [
    { class: 'media', subclass: 'session', list: 'list', info: 'info', idField: 'session_id' },
    { class: 'media', subclass: 'room', list: 'list', info: 'info', idField: 'room_id' },
  ],
  collab: false,
};
