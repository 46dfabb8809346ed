// NkMEDIA of July 2016 (nkmedia@bb1dc51, 2016-07-22, on nkservice@cbdd973): rooms lived in
// the Janus backend, a listener named its publisher `publisher`, and every nkservice reason
// had the code 1000 (every nkmedia one 2000), so ends are judged by their reason text.
import { NKMEDIA_2016_07, NKSERVICE_2016_07 } from './codeTables/july2016';
import { ANSWERED, ENDED, LISTENER_JOINED, LISTENER_LEFT, NONE, PUBLISHER_JOINED, PUBLISHER_LEFT, RINGING, ROOM_CREATED, SESSION_TYPE } from './meanings';
import type { Dialect } from './types';

export const JULY_2016: Dialect = {
  id: '2016-07',
  era: '2016-07',
  label: 'NkMEDIA Jul 2016',
  sources: ['nkmedia@bb1dc51', 'nkservice@cbdd973'],
  login: { acksFirst: true },
  frames: { eventRequests: true, eventMessages: false },
  keepalive: { idleTimeoutMs: 30_000, answerTimeoutMs: 5_000 },
  stringErrorCodes: false,
  codes: [...NKSERVICE_2016_07, ...NKMEDIA_2016_07],
  // Codes many reasons share: only the reason text tells them apart.
  ambiguousCodes: [0, 100, 200, 1000, 1500, 1501, 2000, 2999],
  vocabulary: {
    media: {
      // nkmedia@bb1dc51:src/nkmedia_session.erl:758-771; `room` copies each room event to the
      // member sessions (src/janus_backend/nkmedia_janus_room.erl:472-476).
      session: { kind: 'session', types: { answer: ANSWERED, info: NONE, updated_type: SESSION_TYPE, stop: ENDED, room: NONE } },
      // nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_room.erl:212,334,367-395
      room: {
        kind: 'room',
        types: {
          created: ROOM_CREATED,
          destroyed: ENDED,
          started_publisher: PUBLISHER_JOINED,
          stopped_publisher: PUBLISHER_LEFT,
          started_listener: LISTENER_JOINED,
          stopped_listener: LISTENER_LEFT,
        },
      },
      // nkmedia@bb1dc51:src/nkmedia_call.erl:552-581
      call: { kind: 'call', types: { ringing: RINGING, answer: ANSWERED, hangup: ENDED } },
    },
  },
  // nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_api.erl:61-75
  snapshots: [{ class: 'media', subclass: 'room', list: 'list', info: 'info', idField: 'id' }],
  collab: false,
};
