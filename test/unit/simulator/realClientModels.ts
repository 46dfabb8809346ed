// Models of two real public NkSERVICE clients, for testing the simulator and the replay server
// against what they send and how they react. Neither client's code is copied: NcClient's
// repository has no license. Each model sends the same frames and takes the same decisions as
// the cited lines.
//
//   NcClient (github:NetComposer/NcClient @7af69fa, 2017-02-05), www/js/WsMngr.js
//   nkservice's Erlang client (github:NetComposer/nkservice @79bf10d), src/nkservice_api_client.erl
import WebSocket from 'ws';

export type Frame = Record<string, unknown>;

/** What a model saw and did, for the assertions. */
export interface ClientLog {
  /** Events the client recognised and handed to its application (or its error path). */
  events: Frame[];
  /** Frames the client could not make sense of. */
  unhandled: Frame[];
  /** Replies the client sent to server requests (events, pings). */
  replies: Frame[];
  pingsAnswered: number;
  acks: number;
  closed?: { code: number; by: 'client' | 'server' };
}

abstract class ModelClient {
  readonly log: ClientLog = { events: [], unhandled: [], replies: [], pingsAnswered: 0, acks: 0 };
  protected readonly ws: WebSocket;
  private readonly waiting = new Map<unknown, (frame: Frame) => void>();
  private closingByUs = false;
  private readonly opened: Promise<void>;
  private readonly closedPromise: Promise<void>;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closedPromise = new Promise((resolve) =>
      this.ws.on('close', (code) => {
        this.log.closed = { code, by: this.closingByUs ? 'client' : 'server' };
        resolve();
      }),
    );
    this.ws.on('error', () => undefined);
    this.ws.on('message', (data) => this.onFrame(JSON.parse(data.toString()) as Frame));
  }

  open(): Promise<void> {
    return this.opened;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Resolves with the reply to the request with this tid. */
  protected replyTo(tid: unknown): Promise<Frame> {
    return new Promise((resolve) => this.waiting.set(tid, resolve));
  }

  protected resolveReply(frame: Frame): boolean {
    const waiter = this.waiting.get(frame.tid);
    if (!waiter) return false;
    this.waiting.delete(frame.tid);
    waiter(frame);
    return true;
  }

  protected sendText(text: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  /** The client itself ends the connection. */
  protected stop(): void {
    this.closingByUs = true;
    this.ws.close();
  }

  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) {
      this.closingByUs = true;
      this.ws.close();
    }
    await this.closedPromise;
  }

  waitClosed(): Promise<void> {
    return this.closedPromise;
  }

  protected abstract onFrame(frame: Frame): void;
}

/**
 * NcClient's WsMngr:
 *   - login on open: core/user/login with data {user, pass, session_id?, meta?}
 *     (WsMngr.js:356-375 builds the login object, :401-404 sends it; requests are
 *     {class, subclass, cmd, data, tid} with tids from 1001: :1250-1254, :92);
 *   - every frame is sent as JSON.stringify(Data, null, '\t') (:772);
 *   - a server core/ping is answered {result:"ok", tid, ping:true} (:645-648); an ack is noted
 *     (:655-658); a result goes to its request's callbacks (:661-680);
 *   - a core/event request with data goes to handleEvent (:682-690), which needs data.class,
 *     data.subclass and data.type (it throws otherwise, replying nothing: :1530-1546), calls the
 *     handler registered for class:subclass:type, class:subclass:_ or class:_:_, and with no
 *     handler answers {result:"error", tid, data:{code:333, error}} (:1551-1572 with
 *     respondError :907-926);
 *   - any other frame with a class (a develop {class:"event", data}) is logged and, its class
 *     not being "core", handed to WsMngr.handle(JsonData) (:692-712), a function WsMngr never
 *     defines: a TypeError is thrown in the message handler and nothing is sent back.
 * The one handler the library itself registers is media:session:stop (NkMedia.js:2068), which
 * answers respondOk(…, {closed: true}) for a session of its own (NkMedia.js:2101, respondOk at
 * WsMngr.js:875-895) and error 400 for any other (NkMedia.js:2085-2089): the model's
 * application has no media sessions, so it is always the 400.
 */
export class NcClientModel extends ModelClient {
  private evtCount = 1001;
  private readonly handlers = new Map<string, (event: Frame) => Frame>([
    ['media:session:stop', (event) => ({ result: 'error', tid: event.tid, data: { code: 400, error: 'NkMedia: handle_MediaSession_Stop: No current session with that Id.' } })],
  ]);

  constructor(url: string, private readonly login: { user: string; pass: string; session_id?: string; meta?: Record<string, unknown> }) {
    super(url);
  }

  /** Sends what _login() sends once the socket is open; resolves with the reply. */
  async connect(): Promise<Frame> {
    await this.open();
    return this.request('core', 'user', 'login', { ...this.login });
  }

  /** sendDataViaPromise(Class, SubClass, Command, Data) (WsMngr.js:1163-1168). */
  request(cls: string, subclass: string, cmd: string, data: Frame): Promise<Frame> {
    const tid = this.evtCount++;
    const reply = this.replyTo(tid);
    this.send({ class: cls, subclass, cmd, data, tid });
    return reply;
  }

  private send(data: Frame): void {
    this.sendText(JSON.stringify(data, null, '\t'));
  }

  protected onFrame(frame: Frame): void {
    if (frame.class === 'core' && frame.cmd === 'ping') {
      const reply = { result: 'ok', tid: frame.tid, ping: true };
      this.log.replies.push(reply);
      this.log.pingsAnswered++;
      this.send(reply);
    } else if (frame.ack) {
      this.log.acks++;
    } else if (frame.result) {
      this.resolveReply(frame);
    } else if (frame.class === 'core' && frame.cmd === 'event' && frame.data) {
      this.handleEvent(frame);
    } else if (frame.class) {
      // WsMngr.handle is undefined: `TypeError: WsMngr.handle is not a function`, no reply.
      if (frame.class !== 'core') this.log.unhandled.push(frame);
    }
  }

  private handleEvent(frame: Frame): void {
    const data = frame.data as Frame;
    if (!data.class || !data.subclass || !data.type) {
      // throw( "WsMngr: handleEvent: Error: No Data.class field in this event: " … )
      this.log.unhandled.push(frame);
      return;
    }
    this.log.events.push(data);
    const handler = this.handlers.get(`${data.class}:${data.subclass}:${data.type}`) ?? this.handlers.get(`${data.class}:${data.subclass}:_`) ?? this.handlers.get(`${data.class}:_:_`);
    const reply = handler
      ? handler(frame)
      : { result: 'error', tid: frame.tid, data: { code: 333, error: `WsMngr: handleEvent: No Handler available for this Event${JSON.stringify(frame, null, '\t')}` } };
    this.log.replies.push(reply);
    this.send(reply);
  }
}

/**
 * nkservice's own Erlang client at 79bf10d (src/nkservice_api_client.erl):
 *   - start/6 logs in with cmd(Pid, core, user, login, #{user, pass}) (:62-83); requests are
 *     {class, cmd, tid} plus subclass unless core and data unless empty, tids from 1000
 *     (:398-415, :144);
 *   - a server core/ping is answered {result:"ok", tid} (:201-202, reply without data when
 *     empty :421-431);
 *   - any other server request (class, cmd, tid: the core/event requests) goes to the
 *     callback (:203-213, :322-340); the sample callbacks answer {ok, #{}}: {result:"ok", tid};
 *   - replies and acks are matched to its requests (:214-231);
 *   - anything else, a develop {class:"event", data} included, is an "unrecognized msg" and
 *     the client stops the connection (:232-234).
 */
export class ErlangClientModel extends ModelClient {
  private tid = 1000;
  /** After {stop, normal, State} the connection process handles nothing more. */
  private stopped = false;

  constructor(url: string, private readonly user: string, private readonly pass: string) {
    super(url);
  }

  async connect(): Promise<Frame> {
    await this.open();
    return this.cmd('core', 'user', 'login', { user: this.user, pass: this.pass });
  }

  cmd(cls: string, subclass: string, cmd: string, data: Frame): Promise<Frame> {
    const tid = this.tid++;
    const msg: Frame = { class: cls, cmd, tid };
    if (subclass !== 'core') msg.subclass = subclass;
    if (Object.keys(data).length > 0) msg.data = data;
    const reply = this.replyTo(tid);
    this.sendText(JSON.stringify(msg));
    return reply;
  }

  protected onFrame(frame: Frame): void {
    if (this.stopped) return;
    if (frame.class === 'core' && frame.cmd === 'ping' && frame.tid !== undefined) {
      this.reply({ result: 'ok', tid: frame.tid });
      this.log.pingsAnswered++;
    } else if (frame.class !== undefined && frame.cmd !== undefined && frame.tid !== undefined) {
      if (frame.cmd === 'event') this.log.events.push(frame.data as Frame);
      this.reply({ result: 'ok', tid: frame.tid });
    } else if (frame.result !== undefined && frame.tid !== undefined) {
      this.resolveReply(frame);
    } else if (frame.ack !== undefined) {
      this.log.acks++;
    } else {
      // ?LLOG(warning, "received unrecognized msg: ~p", …), {stop, normal, State}
      this.log.unhandled.push(frame);
      this.stopped = true;
      this.stop();
    }
  }

  private reply(frame: Frame): void {
    this.log.replies.push(frame);
    this.sendText(JSON.stringify(frame));
  }
}
