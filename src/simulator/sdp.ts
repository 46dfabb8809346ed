// Realistic SDP answers, shaped like those Janus returns through NkMEDIA (2-6 KB): the
// inspector must cope with event bodies of that size, and show them legibly.
import type { Random } from './random';

const AUDIO_CODECS = [
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:103 ISAC/16000',
  'a=rtpmap:104 ISAC/32000',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:106 CN/32000',
  'a=rtpmap:105 CN/16000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=maxptime:60',
  'a=ptime:20',
];

const VIDEO_CODECS = [
  'a=rtpmap:96 VP8/90000',
  'a=rtcp-fb:96 goog-remb',
  'a=rtcp-fb:96 transport-cc',
  'a=rtcp-fb:96 ccm fir',
  'a=rtcp-fb:96 nack',
  'a=rtcp-fb:96 nack pli',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=rtpmap:98 VP9/90000',
  'a=rtcp-fb:98 goog-remb',
  'a=rtcp-fb:98 nack',
  'a=rtcp-fb:98 nack pli',
  'a=fmtp:98 profile-id=0',
  'a=rtpmap:102 H264/90000',
  'a=rtcp-fb:102 goog-remb',
  'a=rtcp-fb:102 nack',
  'a=rtcp-fb:102 nack pli',
  'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
];

const AUDIO_EXTMAPS = [
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
];

const VIDEO_EXTMAPS = [
  'a=extmap:14 urn:ietf:params:rtp-hdrext:toffset',
  'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'a=extmap:13 urn:3gpp:video-orientation',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:12 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
];

// Fixed lines are joined once up front: the per-answer join then handles a few dozen pieces
// instead of ~70, which matters when the simulator runs at tens of thousands of events/s.
const AUDIO_CODEC_BLOCK = AUDIO_CODECS.join('\r\n');
const VIDEO_CODEC_BLOCK = VIDEO_CODECS.join('\r\n');
const AUDIO_EXTMAP_BLOCK = AUDIO_EXTMAPS.join('\r\n');
const VIDEO_EXTMAP_BLOCK = VIDEO_EXTMAPS.join('\r\n');
const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).toUpperCase().padStart(2, '0'));

interface Transport {
  ufrag: string;
  pwd: string;
  fingerprint: string;
  candidates: string[];
}

/** An SDP answer with audio, usually video and sometimes a data channel. */
export function sdpAnswer(random: Random): string {
  const withVideo = random.chance(0.75);
  const withData = random.chance(0.2);
  const mids = ['audio', ...(withVideo ? ['video'] : []), ...(withData ? ['data'] : [])];
  const stream = random.alphanumeric(10);
  const transport: Transport = {
    ufrag: random.alphanumeric(random.int(4, 8)),
    pwd: random.alphanumeric(22),
    fingerprint: fingerprint(random),
    // Audio-only answers list more candidates (like multi-homed hosts do), keeping them ≥ 2 KB.
    candidates: candidates(random, withVideo ? random.int(2, 4) : random.int(6, 8)),
  };
  const lines = [
    'v=0',
    `o=- ${random.digits(19)} ${random.int(2, 4)} IN IP4 127.0.0.1`,
    's=Janus',
    't=0 0',
    `a=group:BUNDLE ${mids.join(' ')}`,
    'a=msid-semantic: WMS janus',
    ...mediaSection(random, 'audio', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 103 104 9 0 8 106 105 13 110 126', AUDIO_EXTMAP_BLOCK, AUDIO_CODEC_BLOCK, transport, stream),
  ];
  if (withVideo) {
    lines.push(...mediaSection(random, 'video', 'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 102', VIDEO_EXTMAP_BLOCK, VIDEO_CODEC_BLOCK, transport, stream));
  }
  if (withData) {
    lines.push(
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
      'c=IN IP4 0.0.0.0',
      'a=sendrecv',
      'a=mid:data',
      'a=sctp-port:5000',
      ...transportLines(transport),
    );
  }
  // Joining with a trailing '' (not `+ '\r\n'`) yields one flat string: a concatenation would
  // leave a rope that JSON.stringify must flatten on every send, which costs ~3x more.
  lines.push('');
  return lines.join('\r\n');
}

function mediaSection(
  random: Random,
  mid: string,
  mLine: string,
  extmaps: string,
  codecs: string,
  transport: Transport,
  stream: string,
): string[] {
  const ssrc = random.digits(random.int(9, 10));
  const cname = random.alphanumeric(16);
  const track = `janus${mid}`;
  return [
    mLine,
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    ...transportLines(transport),
    extmaps,
    random.pick(['a=sendrecv', 'a=sendonly', 'a=recvonly']),
    `a=mid:${mid}`,
    'a=rtcp-mux',
    codecs,
    `a=ssrc:${ssrc} cname:${cname}`,
    `a=ssrc:${ssrc} msid:${stream} ${track}`,
    `a=ssrc:${ssrc} mslabel:${stream}`,
    `a=ssrc:${ssrc} label:${track}`,
  ];
}

function transportLines(transport: Transport): string[] {
  return [
    `a=ice-ufrag:${transport.ufrag}`,
    `a=ice-pwd:${transport.pwd}`,
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${transport.fingerprint}`,
    'a=setup:active',
    ...transport.candidates,
    'a=end-of-candidates',
  ];
}

function fingerprint(random: Random): string {
  const bytes: string[] = [];
  for (let i = 0; i < 32; i++) bytes.push(BYTE_HEX[random.int(0, 255)]);
  return bytes.join(':');
}

/** Host, server-reflexive and sometimes relay candidates, UDP and TCP. */
function candidates(random: Random, pairs: number): string[] {
  const privateIp = `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(2, 254)}`;
  const publicIp = `203.0.113.${random.int(2, 254)}`;
  const lines: string[] = [];
  let foundation = 1;
  for (let i = 0; i < pairs; i++) {
    const port = random.int(10000, 60000);
    lines.push(`a=candidate:${foundation++} 1 udp 2013266431 ${privateIp} ${port} typ host`);
    lines.push(`a=candidate:${foundation++} 1 udp 1677721855 ${publicIp} ${port} typ srflx raddr ${privateIp} rport ${port}`);
  }
  lines.push(`a=candidate:${foundation++} 1 tcp 1019216383 ${privateIp} 9 typ host tcptype passive`);
  if (random.chance(0.3)) {
    const relayPort = random.int(49152, 65535);
    lines.push(`a=candidate:${foundation++} 1 udp 33562367 198.51.100.${random.int(2, 254)} ${relayPort} typ relay raddr ${publicIp} rport ${relayPort}`);
  }
  return lines;
}
