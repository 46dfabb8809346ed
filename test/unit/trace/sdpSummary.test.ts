// The SDP summary a diff shows instead of raw SDP: media lines, codecs, candidates, direction,
// read from SDP shaped like what Janus answers through NkMEDIA and what a browser offers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../../src/simulator/random';
import { sdpAnswer } from '../../../src/simulator/sdp';
import { looksLikeSdp, sdpFields, summarizeSdp } from '../../../src/trace/sdpSummary';

/** A Janus answer to a publisher (audio + video, bundled, ICE candidates in each section). */
const JANUS_ANSWER = [
  'v=0',
  'o=- 6543245 2 IN IP4 127.0.0.1',
  's=Janus',
  't=0 0',
  'a=group:BUNDLE audio video',
  'a=msid-semantic: WMS janus',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 0',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:Qz3k',
  'a=ice-pwd:n0VdJ3Jc3p1tB7Vx3ZmR9e',
  'a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F',
  'a=setup:active',
  'a=candidate:1 1 udp 2013266431 10.1.2.3 47123 typ host',
  'a=candidate:2 1 udp 1677721855 203.0.113.7 47123 typ srflx raddr 10.1.2.3 rport 47123',
  'a=end-of-candidates',
  'a=recvonly',
  'a=mid:audio',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:0 PCMU/8000',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
  'c=IN IP4 0.0.0.0',
  'a=candidate:1 1 udp 2013266431 10.1.2.3 47123 typ host',
  'a=candidate:2 1 udp 1677721855 203.0.113.7 47123 typ srflx raddr 10.1.2.3 rport 47123',
  'a=candidate:3 1 tcp 1019216383 10.1.2.3 9 typ host tcptype passive',
  'a=recvonly',
  'a=mid:video',
  'a=rtpmap:96 VP8/90000',
  'a=rtcp-fb:96 nack pli',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  '',
].join('\r\n');

/**
 * A browser offer to a listener: the direction at session level, video refused (port 0),
 * a data channel, and `\n` line ends, as some clients send.
 */
const LISTENER_OFFER = [
  'v=0',
  'o=mozilla...THIS_IS_SDPARTA-99.0 4611731400430051336 0 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  'a=sendonly',
  'm=audio 54321 UDP/TLS/RTP/SAVPF 109 9 0 8 101',
  'c=IN IP4 192.0.2.10',
  'a=rtpmap:109 opus/48000/2',
  'a=rtpmap:9 G722/8000/1',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=candidate:0 1 UDP 2122252543 192.0.2.10 54321 typ host',
  'm=video 0 UDP/TLS/RTP/SAVPF 120',
  'a=rtpmap:120 VP8/90000',
  'a=inactive',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'a=sctp-port:5000',
  '',
].join('\n');

describe('SDP summary', () => {
  test('a Janus answer: both media, their codecs without payload numbers, every candidate, the direction', { timeout: 5_000 }, () => {
    assert.equal(looksLikeSdp(JANUS_ANSWER), true);
    const summary = summarizeSdp(JANUS_ANSWER);
    assert.deepEqual(
      summary.media.map((m) => [m.kind, m.port, m.protocol, m.direction, m.codecs]),
      [
        ['audio', 9, 'UDP/TLS/RTP/SAVPF', 'recvonly', ['opus/48000/2', 'PCMU/8000']],
        ['video', 9, 'UDP/TLS/RTP/SAVPF', 'recvonly', ['VP8/90000', 'rtx/90000']],
      ],
    );
    assert.deepEqual(summary.codecs, ['opus/48000/2', 'PCMU/8000', 'VP8/90000', 'rtx/90000']);
    assert.equal(summary.candidates, 5, 'a=candidate lines of every section; a=end-of-candidates is none');
    assert.deepEqual(sdpFields(summary), { media: 'audio video', codecs: 'opus/48000/2 PCMU/8000 VP8/90000 rtx/90000', candidates: 5, direction: 'recvonly' });
  });

  test('a browser offer: session-level direction, its own where a medium has one, a refused medium, LF line ends', { timeout: 5_000 }, () => {
    assert.equal(looksLikeSdp(LISTENER_OFFER), true);
    const summary = summarizeSdp(LISTENER_OFFER);
    assert.deepEqual(
      summary.media.map((m) => [m.kind, m.port, m.direction]),
      [
        ['audio', 54321, 'sendonly'],
        ['video', 0, 'inactive'],
        ['application', 9, 'sendonly'],
      ],
    );
    assert.equal(summary.candidates, 1);
    assert.deepEqual(sdpFields(summary), {
      media: 'audio video(port 0) application',
      codecs: 'opus/48000/2 G722/8000/1 PCMU/8000 PCMA/8000 telephone-event/8000 VP8/90000',
      candidates: 1,
      direction: 'audio=sendonly video=inactive application=sendonly',
    });
  });

  test('no direction anywhere means sendrecv (RFC 4566)', { timeout: 5_000 }, () => {
    const summary = summarizeSdp('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n');
    assert.equal(summary.media[0].direction, 'sendrecv');
    assert.equal(sdpFields(summary).direction, 'sendrecv');
  });

  test('every answer of the simulator reads as its lines say', { timeout: 10_000 }, () => {
    const random = new Random(7);
    for (let i = 0; i < 50; i++) {
      const sdp = sdpAnswer(random);
      assert.equal(looksLikeSdp(sdp), true);
      const lines = sdp.split('\r\n');
      const summary = summarizeSdp(sdp);
      assert.deepEqual(summary.media.map((m) => m.kind), lines.filter((l) => l.startsWith('m=')).map((l) => l.slice(2).split(' ')[0]));
      assert.equal(summary.candidates, lines.filter((l) => l.startsWith('a=candidate:')).length);
      assert.ok(summary.codecs.includes('opus/48000/2'));
      assert.equal(summary.codecs.includes('VP8/90000'), lines.some((l) => l.startsWith('m=video')));
    }
  });

  test('only SDP is taken for SDP: a candidate line, plain text, a v=0 without media are not', { timeout: 5_000 }, () => {
    assert.equal(looksLikeSdp('candidate:1 1 udp 2013266431 10.1.2.3 47123 typ host'), false);
    assert.equal(looksLikeSdp('User stop'), false);
    assert.equal(looksLikeSdp('v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n'), false, 'the trace fixtures\' stub answers: shown as text');
    assert.equal(looksLikeSdp(''), false);
  });
});
