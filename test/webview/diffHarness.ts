// The host side of the compare page's webview tests, bundled for Node by run.mjs: the view is
// made by the real host code (compareObjects over two real stores, one of them holding
// hostile markup in a type and a body value), and a fake panel answers `ready` with it, as
// the real one does, checking what the page posts with the same schema.
import { EventStore } from '../../src/core';
import { compareObjects, type ObjectRef, type SourceLookup } from '../../src/inspector/objectComparison';
import type { Source } from '../../src/inspector/source';
import { vocabularyFor, type DialectId } from '../../src/protocol/dialects';
import { fromDiffPageSchema, type FromDiffPage, type ToDiffPage } from '../../src/shared/diffProtocol';
import { Feed, T0 } from '../unit/core/feed';

export const HOSTILE = '<img src=x onerror="window.__pwned=1">';

const SDP_A = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=rtpmap:111 opus/48000/2', 'a=sendrecv', 'a=candidate:1 1 udp 1 10.0.0.1 4000 typ host', 'a=candidate:2 1 udp 1 203.0.113.7 4000 typ srflx', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=rtpmap:96 VP8/90000', ''].join('\r\n');
const SDP_B = ['v=0', 'o=- 7 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=rtpmap:111 opus/48000/2', 'a=sendonly', 'a=candidate:1 1 udp 1 10.0.0.2 5000 typ host', ''].join('\r\n');

function source(id: string, kind: 'live' | 'trace', dialect: DialectId): Source {
  const store = new EventStore({ vocabulary: vocabularyFor(dialect) });
  return { id, name: id, kind, store, server: { dialect: { id: dialect, label: store.vocabulary.label, how: 'set', evidence: [] }, refusedSubscriptions: [] } } as unknown as Source;
}

/**
 * A good session in an Aug 2016 trace and a bad one on a live Oct 2016 server: B has a
 * candidate A lacks, a different answer SDP and end code, and `hostile` puts markup in a
 * type only B has and in a body value.
 */
export function comparison(options: { hostile?: boolean } = {}): { sources: SourceLookup; a: ObjectRef; b: ObjectRef; dispose(): void } {
  const good = source('good.nkmtrace', 'trace', '2016-08');
  const live = source('demo', 'live', '2016-10');
  const a = new Feed(good.store);
  a.event({ class: 'media', subclass: 'session', type: 'updated_type', obj_id: 'good-39ce4076', body: { type: 'publish' } }, { ts: T0 });
  a.event({ class: 'media', subclass: 'session', type: 'answer', obj_id: 'good-39ce4076', body: { answer: { sdp: SDP_A }, user: 'alice' } }, { ts: T0 + 340 });
  a.event({ class: 'media', subclass: 'session', type: 'stop', obj_id: 'good-39ce4076', body: { code: 1013, reason: 'User stop' } }, { ts: T0 + 5_200 });
  const b = new Feed(live.store);
  const bad = 'bad-7a1bc0de';
  b.event({ class: 'media', subclass: 'session', type: 'type', obj_id: bad, body: { type: 'publish' } }, { ts: T0 + 600_000 });
  b.event({ class: 'media', subclass: 'session', type: 'candidate', obj_id: bad, body: { candidate: 'candidate:1' } }, { ts: T0 + 600_010 });
  if (options.hostile) b.event({ class: 'media', subclass: 'session', type: `info${HOSTILE}`, obj_id: bad, body: {} }, { ts: T0 + 600_020 });
  b.event({ class: 'media', subclass: 'session', type: 'answer', obj_id: bad, body: { answer: { sdp: SDP_B, trickle_ice: true }, user: options.hostile ? HOSTILE : 'bob' } }, { ts: T0 + 600_512 });
  b.event({ class: 'media', subclass: 'session', type: 'destroyed', obj_id: bad, body: { code: 100011, reason: 'User stop' } }, { ts: T0 + 604_100 });
  return {
    sources: { get: (id) => [good, live].find((s) => s.id === id) },
    a: { sourceId: good.id, objectKey: 'media/session/good-39ce4076' },
    b: { sourceId: live.id, objectKey: `media/session/${bad}` },
    dispose: () => [good, live].forEach((s) => s.store.dispose()),
  };
}

export interface DiffHost {
  /** What the page posted, after the host's check. */
  received: FromDiffPage[];
  invalidMessages: number;
  receive(message: unknown): void;
  /** Sends a message to the page now (a test's malformed or error message). */
  send(message: ToDiffPage): void;
  dispose(): void;
}

/** Like the panel: answers `ready` and `refresh` with the comparison computed from the stores now. */
export function createDiffHost(post: (message: ToDiffPage) => void, options: { hostile?: boolean } = {}): DiffHost {
  const c = comparison(options);
  const host: DiffHost = {
    received: [],
    invalidMessages: 0,
    receive(message) {
      const parsed = fromDiffPageSchema.safeParse(message);
      if (!parsed.success) {
        host.invalidMessages++;
        return;
      }
      host.received.push(parsed.data);
      if (parsed.data.type === 'ready' || parsed.data.type === 'refresh') post(compareObjects(c.sources, c.a, c.b));
    },
    send: post,
    dispose: c.dispose,
  };
  return host;
}
