// Tells which era a server is from, with setting `auto`, from what the connection shows:
//   - the login: 2016 servers ack it before they reply, develop does not (docs/protocol.md);
//   - the event frames: core/event requests (2016) or {class:"event"} messages (develop);
//   - error codes: every reason 1000 (to 11 Aug 2016), the 1000 range (Aug–Sep 2016), six
//     digits (from 29 Sep 2016), the error atom as a string (develop, from 26 Jan 2017). The
//     client asks for one on purpose: its first keepalive `core/ping` is a command no era has;
//   - event names: `stop` and `started_publisher` (Aug–Sep 2016), `destroyed` and
//     `started_member` (from 29 Sep), a listener's `publisher` field (July); class `collab`.
// Stronger evidence wins: codes over names. The result may sharpen as frames arrive.
import { DIALECTS } from './registry';
import type { Body, DialectId, DialectSetting, EraId } from './types';

export interface DetectedDialect {
  /** Undefined until the evidence names one era. */
  readonly id?: DialectId;
  /** For people: `NkMEDIA Oct 2016`, `NkSERVICE 2016 (era not known yet)`. */
  readonly label: string;
  /** `set` when the user chose it; `detected` from the evidence; `unknown` when nothing was seen yet. */
  readonly how: 'set' | 'detected' | 'unknown';
  /** What the evidence said, in order, for a tooltip: `login acked (2016)`. */
  readonly evidence: readonly string[];
  /** Set when the user chose a dialect and the server looks like another one. */
  readonly mismatch?: string;
}

type Family = '2016' | '2017';
type Strength = 0 | 1 | 2;

export class DialectDetector {
  private family: Family | undefined;
  private era2016: EraId | undefined;
  private eraStrength: Strength = 0;
  private collab = false;
  private readonly evidence: string[] = [];
  private current: DetectedDialect;
  /** Once the era is known from codes and collab was seen, events can tell nothing new. */
  private settled = false;

  constructor(
    private readonly setting: DialectSetting,
    private readonly onChange: (detected: DetectedDialect) => void = () => undefined,
  ) {
    this.current = this.compute();
  }

  get result(): DetectedDialect {
    return this.current;
  }

  loginAcked(acked: boolean): void {
    this.setFamily(acked ? '2016' : '2017', acked ? 'the login was acked before its reply (2016)' : 'the login was not acked (develop 2017)');
  }

  eventFrame(shape: 'request' | 'message'): void {
    if (shape === 'request' ? this.family === '2016' : this.family === '2017') return;
    this.setFamily(shape === 'request' ? '2016' : '2017', shape === 'request' ? 'events come as core/event requests (2016)' : 'events come as {class:"event"} messages (develop 2017)');
  }

  errorCode(code: number | string): void {
    if (typeof code === 'string' && !/^\s*-?\d+\s*$/.test(code)) {
      this.setFamily('2017', `error replies carry string codes ("${code}": develop 2017)`);
      return;
    }
    const numeric = Number(code);
    if (numeric === 1000 || numeric === 2000) this.setEra('2016-07', 2, `error code ${numeric} for every reason (to 11 Aug 2016)`);
    else if ((numeric > 1000 && numeric < 3000) || numeric === 9999) this.setEra('2016-08', 2, `error code ${numeric} of the 1000 range (Aug–Sep 2016)`);
    else if (numeric >= 100_000 && numeric < 1_000_000 && this.family !== '2017') this.setEra('2016-10', 2, `six-digit error code ${numeric} (from 29 Sep 2016)`);
  }

  /** Called for every event: cheap once there is nothing left to learn. */
  event(cls: string, subclass: string | undefined, type: string | undefined, body: Body): void {
    if (this.settled) return;
    if (cls === 'collab') {
      if (!this.collab) {
        this.collab = true;
        this.note('collab events arrive (nkcollab)');
      }
      return;
    }
    if (cls !== 'media' || this.eraStrength > 0 || this.family === '2017') return;
    const era = eraOfMediaEvent(subclass, type, body);
    if (era) this.setEra(era, 1, `media/${subclass}/${type} event (${DIALECTS[era].label})`);
  }

  private setFamily(family: Family, why: string): void {
    if (this.family === family) return;
    this.family = family;
    this.note(why);
  }

  private setEra(era: EraId, strength: Strength, why: string): void {
    if (strength < this.eraStrength || (strength === this.eraStrength && this.era2016 === era)) return;
    this.era2016 = era;
    this.eraStrength = strength;
    // A four-digit code or a 2016-only event name: no develop server sends those.
    this.family = '2016';
    this.note(why);
  }

  private note(why: string): void {
    this.evidence.push(why);
    this.settled = this.collab && (this.family === '2017' || this.eraStrength === 2);
    this.current = this.compute();
    this.onChange(this.current);
  }

  private compute(): DetectedDialect {
    const evidence = [...this.evidence];
    const seen = this.detectedId();
    if (this.setting !== 'auto') {
      const set = DIALECTS[this.setting];
      const mismatch = seen && DIALECTS[seen].era !== set.era ? `the server looks like ${DIALECTS[seen].label}` : undefined;
      return { id: set.id, label: set.label, how: 'set', evidence, ...(mismatch ? { mismatch } : {}) };
    }
    if (seen) return { id: seen, label: DIALECTS[seen].label, how: 'detected', evidence };
    if (this.family === '2016') return { label: 'NkSERVICE 2016 (era not known yet)', how: 'detected', evidence };
    return { label: 'era not known yet', how: 'unknown', evidence };
  }

  private detectedId(): DialectId | undefined {
    if (this.family === '2017') return this.collab ? 'nkcollab-2017' : '2017';
    if (this.collab && (this.era2016 === undefined || this.era2016 === '2016-10')) return this.family === '2016' || this.era2016 ? 'nkcollab-2016' : undefined;
    return this.era2016;
  }
}

/** The 2016 era a media event's name (and, for July, its fields) belongs to, if it tells. */
function eraOfMediaEvent(subclass: string | undefined, type: string | undefined, body: Body): EraId | undefined {
  if (subclass === 'session') {
    if (type === 'room') return '2016-07';
    if (type === 'stop') return '2016-08';
    if (type === 'destroyed' || type === 'type' || type === 'candidate' || type === 'candidate_end') return '2016-10';
    return undefined;
  }
  if (subclass === 'room') {
    switch (type) {
      case 'started':
        return '2016-08';
      case 'started_publisher':
      case 'started_listener':
        return body && body.session_id === undefined && (body.publisher !== undefined || body.listener !== undefined) ? '2016-07' : '2016-08';
      case 'created':
        return body && body.config !== undefined ? '2016-07' : '2016-10';
      case 'started_member':
      case 'stopped_member':
        return '2016-10';
      default:
        return undefined;
    }
  }
  return undefined;
}
