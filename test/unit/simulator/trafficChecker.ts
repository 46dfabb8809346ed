// Replays a stream of events and checks it tells consistent NkMEDIA stories (the rules in
// src/simulator/lifecycles.ts), in one era's words: each event is read with that era's tables
// (DIALECTS[id].vocabulary and codes, read-only), so a type the era never sent is counted as
// unlisted, a code it lacks is a violation, and the deliberate anomalies are counted.
import { DIALECTS, vocabularyFor, type DialectId, type EndVerdict, type MemberRef, type Vocabulary } from '../../../src/protocol/dialects';
import type { EventData } from '../../../src/protocol/frames';

export const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const USER = /^user\d+@nkmedia$/;
/** SIP-style statuses no era's event bodies carry. */
export const SIP_CODES = [486, 487, 480];

interface ObjectState {
  kind: 'session' | 'room' | 'call';
  answered: boolean;
  rung?: boolean;
  ended: boolean;
  /** Session: the room it is a member of, and as what. */
  memberOf?: { room: string; role?: string };
}

interface RoomState {
  publishers: Set<string>;
  /** Listener member id → the publisher it watches. */
  listeners: Map<string, string | undefined>;
  members: Set<string>;
}

export class TrafficChecker {
  readonly violations: string[] = [];
  readonly sdpSizes: number[] = [];
  /** `class/subclass/type` of events the era's tables do not list, and made-up body fields. */
  readonly unlisted = new Map<string, number>();
  readonly anomalies = { publisherStoppedWhileWatched: 0, callHungUpUnanswered: 0 };
  readonly verdicts: Record<EndVerdict, number> = { normal: 0, declined: 0, fault: 0 };
  /** Every `code` of every end, for "no code 0, no SIP code" checks. */
  readonly endCodes: Array<number | string> = [];
  readonly types = new Set<string>();
  maxLive = 0;
  private liveSum = 0;
  private seen = 0;
  private live = 0;
  private readonly objects = new Map<string, ObjectState>();
  private readonly rooms = new Map<string, RoomState>();
  private readonly vocabulary: Vocabulary;
  private readonly codes: Set<number>;

  constructor(readonly dialect: DialectId = '2016-08') {
    this.vocabulary = vocabularyFor(dialect);
    this.codes = new Set(DIALECTS[dialect].codes.map((c) => c.code));
  }

  get averageLive(): number {
    return this.liveSum / Math.max(1, this.seen);
  }

  check(event: EventData): void {
    this.seen++;
    const where = `event #${this.seen} ${event.class}/${event.subclass}/${event.type} ${event.obj_id}`;
    const fail = (message: string) => this.violations.push(`${where}: ${message}`);
    const cls = event.class;
    const subclass = event.subclass ?? '';
    const type = event.type ?? '';
    this.types.add(`${cls}/${subclass}/${type}`);
    const lookup = this.vocabulary.lookup(cls, subclass, type);
    if (!lookup.known) this.count(`${cls}/${subclass}/${type}`);
    if (event.body && 'janus_handle' in event.body) this.count('extra body fields');
    if (event.body && Object.keys(event.body).length === 0) fail('an empty body is sent as no body');
    const code = event.body?.code;
    if (typeof code === 'number' && SIP_CODES.includes(code)) fail(`SIP-style code ${code}`);
    const answer = event.body?.answer;
    if (answer !== undefined) {
      if (typeof answer !== 'object' || answer === null || typeof (answer as { sdp?: unknown }).sdp !== 'string') fail('answer is not {sdp, sdp_type…}');
      else {
        if ((answer as { sdp_type?: unknown }).sdp_type !== 'webrtc') fail('answer without sdp_type webrtc');
        this.checkSdp((answer as { sdp: string }).sdp, fail);
      }
    }
    const kind = this.vocabulary.kindOf(cls, subclass);
    if ((cls === 'media' || cls === 'collab') && kind !== 'other') {
      if (!UUID_LIKE.test(event.obj_id ?? '')) fail('obj_id is not UUID-like');
      for (const field of ['user', 'user_id']) {
        const user = event.body?.[field];
        if (user !== undefined && !USER.test(String(user))) fail(`odd ${field} ${String(user)}`);
      }
      if (lookup.meaning) this.follow(kind, event, lookup.meaning, fail);
    }
    this.maxLive = Math.max(this.maxLive, this.live);
    this.liveSum += this.live;
  }

  private follow(kind: 'session' | 'room' | 'call', event: EventData, meaning: NonNullable<ReturnType<Vocabulary['lookup']>['meaning']>, fail: (m: string) => void): void {
    const key = `${event.class}/${event.subclass}/${event.obj_id}`;
    let object = this.objects.get(key);
    if (object?.ended) return fail(`event after the ${kind} ended`);
    const first = object === undefined;
    if (!object) {
      object = { kind, answered: false, ended: false };
      this.objects.set(key, object);
      this.live++;
      if (kind === 'room') this.rooms.set(key, { publishers: new Set(), listeners: new Map(), members: new Set() });
    }
    switch (meaning.effect) {
      case 'created':
        if (!first) fail(`${kind} created twice`);
        return;
      case 'ringing':
        if (object.rung || object.answered) fail('call rings twice, or after its answer');
        object.rung = true;
        return;
      case 'answered':
        if (object.answered) fail('second answer');
        object.answered = true;
        return;
      case 'updated':
      case 'none':
        if (kind === 'room' && first) fail('room event before it was created');
        return;
      case 'ended':
        this.ended(kind, key, object, event, fail);
        return;
      case 'memberJoined':
      case 'memberLeft': {
        if (first) return fail('member event before the room was created');
        const member = meaning.member(event.body);
        if (!member) return fail('member event names no member');
        if (meaning.effect === 'memberJoined') this.joined(key, event.class, member, fail);
        else this.left(key, member, fail);
        return;
      }
      case 'snapshot':
        return;
    }
  }

  private joined(roomKey: string, cls: string, member: MemberRef, fail: (m: string) => void): void {
    const room = this.rooms.get(roomKey)!;
    if (room.members.has(member.memberId)) return fail('member joins twice');
    room.members.add(member.memberId);
    const role = member.role;
    if (member.sessionId !== undefined) {
      const session = this.objects.get(`media/session/${member.sessionId}`);
      // A media room's member is answered first; an nkcollab develop room announces it at once.
      if (cls === 'media' && !session?.answered) fail('member joins before its session answer');
      if (session?.ended) fail('member joins after its session ended');
      if (session?.memberOf) fail('session joins twice');
      if (session) session.memberOf = { room: roomKey, role };
    }
    if (role === 'publisher') room.publishers.add(member.memberId);
    // nkcollab 2016 viewers are users, not sessions: they name no presenter.
    if (role === 'listener' && member.sessionId !== undefined) {
      if (member.peer === undefined) fail('listener without its publisher');
      else if (!room.publishers.has(member.peer)) fail(`listener peer ${member.peer} is not a publisher of this room`);
      else if (this.objects.get(`media/session/${member.peer}`)?.ended) fail(`listener peer ${member.peer} session has ended`);
      room.listeners.set(member.memberId, member.peer);
    }
  }

  private left(roomKey: string, member: MemberRef, fail: (m: string) => void): void {
    const room = this.rooms.get(roomKey)!;
    if (!room.members.delete(member.memberId)) return fail('member leaves a room it is not in');
    room.publishers.delete(member.memberId);
    room.listeners.delete(member.memberId);
    if (member.sessionId !== undefined) {
      const session = this.objects.get(`media/session/${member.sessionId}`);
      if (session) session.memberOf = undefined;
    }
  }

  private ended(kind: string, key: string, object: ObjectState, event: EventData, fail: (m: string) => void): void {
    const code = event.body?.code;
    const reason = event.body?.reason;
    // July 2016 rooms end with an empty body (nkmedia@bb1dc51:src/janus_backend/nkmedia_janus_room.erl:334).
    const julyRoom = this.dialect === '2016-07' && kind === 'room';
    if (!julyRoom) {
      if (typeof code !== 'number' || typeof reason !== 'string') return fail('end without a numeric code and a reason');
      if (code === 0) fail('code 0: no era ends an object with it');
      if (!this.codes.has(code)) fail(`code ${code} is not in the era's table`);
      this.endCodes.push(code);
    }
    const verdict = julyRoom ? 'normal' : this.vocabulary.judgeEnd(code as number, reason as string).verdict;
    this.verdicts[verdict]++;
    object.ended = true;
    this.live--;
    if (kind === 'room') {
      if (this.rooms.get(key)!.members.size > 0) fail('room destroyed with members inside');
    } else if (kind === 'session' && object.memberOf) {
      const room = this.rooms.get(object.memberOf.room)!;
      const id = key.slice('media/session/'.length);
      const watched = [...room.listeners.values()].includes(id);
      if (verdict !== 'fault') fail(`session ended (${verdict}) before leaving its room`);
      else if (object.memberOf.role === 'publisher' && watched) this.anomalies.publisherStoppedWhileWatched++;
    } else if (kind === 'call' && !object.answered) {
      if (verdict === 'normal') fail('unanswered call hung up as if normal');
      this.anomalies.callHungUpUnanswered++;
    }
  }

  private checkSdp(sdp: string, fail: (m: string) => void): void {
    this.sdpSizes.push(sdp.length);
    for (const needed of ['v=0\r\n', '\r\no=', '\r\ns=', '\r\nt=', '\r\nm=audio', 'a=rtpmap:', 'a=fingerprint:sha-256 ', 'a=ice-ufrag:', 'a=ice-pwd:', 'a=candidate:']) {
      if (!sdp.includes(needed)) fail(`SDP answer lacks ${JSON.stringify(needed)}`);
    }
  }

  private count(kind: string): void {
    this.unlisted.set(kind, (this.unlisted.get(kind) ?? 0) + 1);
  }
}
