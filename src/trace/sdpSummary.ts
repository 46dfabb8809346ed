// What an SDP says that a person comparing two calls wants to see, instead of 2-6 KB of
// `a=` lines: which media (m= lines), which codecs (a=rtpmap), how many ICE candidates
// (a=candidate) and which direction each medium goes (sendrecv / sendonly / recvonly /
// inactive). Two answers from the same server differ in every ufrag, fingerprint, ssrc and
// port anyway; a raw diff of them is all noise, these four are what tells two calls apart.

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const DIRECTIONS: readonly string[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

export interface SdpMedia {
  /** The m= line's media: `audio`, `video`, `application`… */
  kind: string;
  /** 0 means the medium was refused or disabled (RFC 3264 §6). */
  port: number;
  protocol: string;
  /** Its own a= direction, else the session's, else sendrecv (RFC 4566 §6). */
  direction: SdpDirection;
  /** From its a=rtpmap lines, without payload numbers: `opus/48000/2`, `VP8/90000`. */
  codecs: string[];
}

export interface SdpSummary {
  media: SdpMedia[];
  /** Every codec of every medium, each once, in order. */
  codecs: string[];
  /** a=candidate lines, session level and media level together. */
  candidates: number;
}

/**
 * Is this text an SDP? Bodies carry it under many names (`sdp`, `answer`, `offer`, a nested
 * `answer.sdp`), so it is known by its content: it starts with `v=0` and has a media line.
 */
export function looksLikeSdp(text: string): boolean {
  return /^\s*v=0\r?\n/.test(text) && /(^|\n)m=/.test(text);
}

export function summarizeSdp(text: string): SdpSummary {
  const media: SdpMedia[] = [];
  let sessionDirection: SdpDirection | undefined;
  // Per medium: its own direction, undefined until it has one.
  const ownDirection: Array<SdpDirection | undefined> = [];
  let candidates = 0;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const current = media[media.length - 1];
    if (line.startsWith('m=')) {
      const [kind = '', port = '', protocol = ''] = line.slice(2).split(' ');
      media.push({ kind, port: parseInt(port, 10) || 0, protocol, direction: 'sendrecv', codecs: [] });
      ownDirection.push(undefined);
    } else if (line.startsWith('a=candidate:')) {
      candidates++;
    } else if (line.startsWith('a=rtpmap:') && current) {
      // a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]
      const codec = line.slice('a=rtpmap:'.length).split(' ')[1];
      if (codec && !current.codecs.includes(codec)) current.codecs.push(codec);
    } else if (line.startsWith('a=') && DIRECTIONS.includes(line.slice(2))) {
      const direction = line.slice(2) as SdpDirection;
      if (current) ownDirection[media.length - 1] = direction;
      else sessionDirection = direction;
    }
  }
  media.forEach((m, i) => (m.direction = ownDirection[i] ?? sessionDirection ?? 'sendrecv'));
  const codecs: string[] = [];
  for (const m of media) for (const codec of m.codecs) if (!codecs.includes(codec)) codecs.push(codec);
  return { media, codecs, candidates };
}

/**
 * The summary as a few named text fields, the form a body diff compares: `media`
 * (`audio video`, a refused one as `video(port 0)`), `codecs`, `candidates`, and
 * `direction`, one word when every medium has the same, else per medium.
 */
export function sdpFields(summary: SdpSummary): { media: string; codecs: string; candidates: number; direction: string } {
  const directions = summary.media.map((m) => m.direction);
  const same = directions.every((d) => d === directions[0]);
  return {
    media: summary.media.map((m) => (m.port === 0 ? `${m.kind}(port 0)` : m.kind)).join(' '),
    codecs: summary.codecs.join(' '),
    candidates: summary.candidates,
    direction: same ? (directions[0] ?? '') : summary.media.map((m) => `${m.kind}=${m.direction}`).join(' '),
  };
}
