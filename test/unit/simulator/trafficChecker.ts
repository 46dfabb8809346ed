// Replays a stream of events and checks it tells consistent NkMEDIA stories (the rules in
// src/simulator/lifecycles.ts), counting the deliberate anomalies and the unlisted events.
import type { EventData } from '../../../src/protocol/frames';

export const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const USER = /^user\d+@nkmedia$/;

/** Types the seed reference (docs/nkmedia-events.md) lists, per subclass. */
const LISTED: Record<string, string[]> = {
  session: ['answer', 'stop', 'updated_type'],
  room: ['started', 'destroyed', 'started_publisher', 'stopped_publisher', 'started_listener', 'stopped_listener'],
  call: ['ringing', 'answer', 'hangup'],
};
/** Body fields the reference documents; anything else on a listed event is "extra". */
const LISTED_FIELDS = new Set(['answer', 'code', 'reason', 'type', 'class', 'backend', 'session_id', 'user', 'peer', 'room_id', 'publisher_id', 'peer_id', 'bitrate', 'record']);

interface SessionState {
  answered: boolean;
  stopped: boolean;
  publisherIn?: string;
  listenerIn?: string;
}

interface RoomState {
  destroyed: boolean;
  publishers: Set<string>;
  listeners: Map<string, string>;
}

interface CallState {
  answered: boolean;
  hungUp: boolean;
}

export class TrafficChecker {
  readonly violations: string[] = [];
  readonly sdpSizes: number[] = [];
  readonly unlisted = new Map<string, number>();
  readonly anomalies = { publisherStoppedWhileWatched: 0, callHungUpUnanswered: 0 };
  readonly stopCodes: number[] = [];
  maxLive = 0;
  private liveSum = 0;
  private seen = 0;
  private readonly sessions = new Map<string, SessionState>();
  private readonly rooms = new Map<string, RoomState>();
  private readonly calls = new Map<string, CallState>();
  private live = 0;

  get averageLive(): number {
    return this.liveSum / Math.max(1, this.seen);
  }

  check(event: EventData): void {
    this.seen++;
    const where = `event #${this.seen} ${event.class}/${event.subclass}/${event.type} ${event.obj_id}`;
    const fail = (message: string) => this.violations.push(`${where}: ${message}`);
    if (event.class === 'media') {
      if (!UUID_LIKE.test(event.obj_id ?? '')) fail('obj_id is not UUID-like');
      const user = event.body?.user;
      if (user !== undefined && !USER.test(String(user))) fail(`odd user ${String(user)}`);
      const listedTypes = LISTED[event.subclass ?? ''];
      if (!listedTypes) this.countUnlisted(`subclass ${event.subclass}`);
      else if (!listedTypes.includes(event.type ?? '')) this.countUnlisted(`${event.subclass} type ${event.type}`);
      else if (Object.keys(event.body ?? {}).some((k) => !LISTED_FIELDS.has(k))) this.countUnlisted('extra body fields');
      if (typeof event.body?.answer === 'string') this.checkSdp(event.body.answer, fail);
      switch (event.subclass) {
        case 'session':
          this.checkSession(event, fail);
          break;
        case 'room':
          this.checkRoom(event, fail);
          break;
        case 'call':
          this.checkCall(event, fail);
          break;
      }
    } else {
      this.countUnlisted(`class ${event.class}`);
    }
    this.maxLive = Math.max(this.maxLive, this.live);
    this.liveSum += this.live;
  }

  private checkSession(event: EventData, fail: (m: string) => void): void {
    const id = event.obj_id!;
    let session = this.sessions.get(id);
    if (!session) {
      session = { answered: false, stopped: false };
      this.sessions.set(id, session);
      this.live++;
    }
    if (session.stopped) return fail('event after the session stopped');
    switch (event.type) {
      case 'answer':
        if (session.answered) fail('second answer');
        session.answered = true;
        return;
      case 'stop': {
        const code = event.body?.code;
        if (typeof code !== 'number' || typeof event.body?.reason !== 'string') fail('stop without code and reason');
        else this.stopCodes.push(code);
        if (session.listenerIn) fail('listener session stopped before leaving its room');
        if (session.publisherIn) {
          const room = this.rooms.get(session.publisherIn)!;
          const watched = [...room.listeners.values()].includes(id);
          if (watched) this.anomalies.publisherStoppedWhileWatched++;
          else fail('publisher session stopped before leaving its room, with nobody watching');
        }
        session.stopped = true;
        this.live--;
        return;
      }
      default:
        if (!session.answered) fail(`${event.type} before the answer`);
    }
  }

  private checkRoom(event: EventData, fail: (m: string) => void): void {
    const id = event.obj_id!;
    const room = this.rooms.get(id);
    if (event.type === 'started') {
      if (room) return fail('room started twice');
      if (event.body?.class !== 'sfu' || event.body?.backend !== 'nkmedia_janus') fail('started body is not {class, backend}');
      this.rooms.set(id, { destroyed: false, publishers: new Set(), listeners: new Map() });
      this.live++;
      return;
    }
    if (!room) return fail('room event before started');
    if (room.destroyed) return fail('room event after destroyed');
    const sessionId = event.body?.session_id as string | undefined;
    const session = sessionId === undefined ? undefined : this.sessions.get(sessionId);
    switch (event.type) {
      case 'started_publisher':
      case 'started_listener':
        if (!session || !session.answered) fail('member joins before its session answer');
        else if (session.stopped) fail('member joins after its session stopped');
        else if (session.publisherIn || session.listenerIn) fail('session joins twice');
        if (event.type === 'started_publisher') {
          room.publishers.add(sessionId!);
          if (session) session.publisherIn = id;
        } else {
          const peer = event.body?.peer as string;
          if (!room.publishers.has(peer)) fail(`listener peer ${peer} is not a publisher of this room`);
          else if (this.sessions.get(peer)?.stopped) fail(`listener peer ${peer} session has stopped`);
          room.listeners.set(sessionId!, peer);
          if (session) session.listenerIn = id;
        }
        return;
      case 'stopped_publisher':
        if (!room.publishers.delete(sessionId!)) fail('stopped_publisher for a non-publisher');
        if (session) session.publisherIn = undefined;
        return;
      case 'stopped_listener':
        if (!room.listeners.delete(sessionId!)) fail('stopped_listener for a non-listener');
        if (session) session.listenerIn = undefined;
        return;
      case 'destroyed':
        if (room.publishers.size > 0 || room.listeners.size > 0) fail('room destroyed with members inside');
        room.destroyed = true;
        this.live--;
        return;
    }
  }

  private checkCall(event: EventData, fail: (m: string) => void): void {
    const id = event.obj_id!;
    const call = this.calls.get(id);
    if (event.type === 'ringing') {
      if (call) fail('call rings twice');
      else this.live++;
      this.calls.set(id, { answered: false, hungUp: false });
      return;
    }
    if (!call) return fail('call event before ringing');
    if (call.hungUp) return fail('call event after hangup');
    if (event.type === 'answer') call.answered = true;
    if (event.type === 'hangup') {
      if (!call.answered) {
        if (event.body?.code === 0) fail('unanswered call hung up with code 0');
        this.anomalies.callHungUpUnanswered++;
      }
      call.hungUp = true;
      this.live--;
    }
  }

  private checkSdp(sdp: string, fail: (m: string) => void): void {
    this.sdpSizes.push(sdp.length);
    for (const needed of ['v=0\r\n', '\r\no=', '\r\ns=', '\r\nt=', '\r\nm=audio', 'a=rtpmap:', 'a=fingerprint:sha-256 ', 'a=ice-ufrag:', 'a=ice-pwd:', 'a=candidate:']) {
      if (!sdp.includes(needed)) fail(`SDP answer lacks ${JSON.stringify(needed)}`);
    }
  }

  private countUnlisted(kind: string): void {
    this.unlisted.set(kind, (this.unlisted.get(kind) ?? 0) + 1);
  }
}
