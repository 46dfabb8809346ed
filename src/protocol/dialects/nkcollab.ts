// nkcollab: calls and rooms of class `collab`, built on NkMEDIA sessions. Its master branch
// (nkcollab@c0119d7, 2016-10-31) rode on the Oct 2016 servers; its develop branch
// (nkcollab@85db3e1, 2017-02-22) on develop, with develop's framing. A subscription to class
// `media` does not receive these (nkcollab@85db3e1:src/nkcollab_api_events.erl:61-71).
import { NKCOLLAB_2016, NKCOLLAB_2017 } from './codeTables/nkcollab';
import { NKMEDIA_2016_10, NKSERVICE_2016_10_LATE } from './codeTables/october2016';
import { DEVELOP_2017 } from './develop2017';
import {
  ANSWERED,
  CREATED,
  ENDED,
  LISTENER_JOINED,
  LISTENER_LEFT,
  NONE,
  PUBLISHER_JOINED,
  PUBLISHER_LEFT,
  RINGING,
  ROOM_CREATED,
  collabMember,
  joined,
  left,
} from './meanings';
import { OCTOBER_2016 } from './october2016';
import type { Dialect, SnapshotCommands } from './types';

/** Events sent only to the connection linked to the call (nkcollab@c0119d7:src/call/nkcollab_call_api_events.erl:55-85). */
const LINKED_CALL_EVENTS = {
  session_answer: NONE,
  session_candidate: NONE,
  session_candidate_end: NONE,
  session_cancelled: NONE,
  session_status: NONE,
};

const COLLAB_SNAPSHOTS: readonly SnapshotCommands[] = [
  { class: 'collab', subclass: 'room', list: 'get_list', info: 'get_info', idField: 'room_id' },
  { class: 'collab', subclass: 'call', list: 'get_list', info: 'get_info', idField: 'call_id' },
];

export const NKCOLLAB_MASTER_2016: Dialect = {
  ...OCTOBER_2016,
  id: 'nkcollab-2016',
  label: 'NkMEDIA Oct 2016 + nkcollab',
  sources: [...OCTOBER_2016.sources, 'nkcollab@c0119d7'],
  // nkcollab master ran on late-October builds (the luerl nkservice after nkservice@e787fc0).
  codes: [...NKSERVICE_2016_10_LATE, ...NKMEDIA_2016_10, ...NKCOLLAB_2016],
  ambiguousCodes: [300003, 300004, 300005],
  vocabulary: {
    ...OCTOBER_2016.vocabulary,
    collab: {
      // nkcollab@c0119d7:src/call/nkcollab_call_api_events.erl:41-85
      call: { kind: 'call', types: { ringing: RINGING, accepted: ANSWERED, hangup: ENDED, ...LINKED_CALL_EVENTS } },
      // nkcollab@c0119d7:src/room/nkcollab_room_api_events.erl:39-84: members are users of the
      // room (member_id, role presenter|viewer), their media sessions are not named.
      room: {
        kind: 'room',
        types: {
          created: ROOM_CREATED,
          destroyed: ENDED,
          started_member: joined(collabMember),
          stopped_member: left(collabMember),
          updated_member: NONE,
          stopped_session: NONE,
          broadcast: NONE,
          room_info: NONE,
          member_info: NONE,
          session_info: NONE,
          updated_media: NONE,
        },
      },
    },
  },
  // nkcollab@c0119d7:src/room/nkcollab_room_api.erl:53-63; src/call/nkcollab_call_api.erl:155-168
  snapshots: [...OCTOBER_2016.snapshots, ...COLLAB_SNAPSHOTS],
  collab: true,
};

export const NKCOLLAB_DEVELOP_2017: Dialect = {
  ...DEVELOP_2017,
  id: 'nkcollab-2017',
  label: 'NkMEDIA develop 2017 + nkcollab',
  sources: [...DEVELOP_2017.sources, 'nkcollab@85db3e1'],
  codes: [...DEVELOP_2017.codes, ...NKCOLLAB_2017],
  vocabulary: {
    ...DEVELOP_2017.vocabulary,
    collab: {
      // nkcollab@85db3e1:src/call/nkcollab_call_api_events.erl:41-100
      call: { kind: 'call', types: { created: CREATED, ringing: RINGING, accepted: ANSWERED, hangup: ENDED, ...LINKED_CALL_EVENTS } },
      // nkcollab@85db3e1:src/room/nkcollab_room_api_events.erl:39-74; members are media sessions
      // (session_id), a listener names its publisher in publisher_id (src/room/nkcollab_room.erl:804-866)
      room: {
        kind: 'room',
        types: {
          created: ROOM_CREATED,
          room_msg: NONE,
          room_info: NONE,
          started_publisher: PUBLISHER_JOINED,
          stopped_publisher: PUBLISHER_LEFT,
          updated_publisher: NONE,
          started_listener: LISTENER_JOINED,
          stopped_listener: LISTENER_LEFT,
          destroyed: ENDED,
          record: NONE,
        },
      },
    },
  },
  // nkcollab@85db3e1:src/room/nkcollab_room_api.erl:53-63; src/call/nkcollab_call_api.erl:145-157
  snapshots: [...DEVELOP_2017.snapshots, ...COLLAB_SNAPSHOTS],
  collab: true,
};
