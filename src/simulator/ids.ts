// Object ids and user names in the style NkMEDIA uses, drawn from the seeded generator.
import type { Random } from './random';

/**
 * UUID-like ids as NkSERVICE prints them, e.g. `39ce4076-391a-1260-75db-38c9862f00d9`:
 * 8-4-4-4-12 lowercase hex, not valid RFC 4122 (no version/variant bits). As on a real
 * cluster, the second group moves slowly like a clock and the last group names the node
 * that created the object, so ids from one node share their tail.
 */
export class IdFactory {
  private readonly nodes: string[];
  private clock: number;
  private issued = 0;

  constructor(private readonly random: Random) {
    this.nodes = [random.hex(12), random.hex(12)];
    this.clock = random.int(0, 0xffff);
  }

  next(): string {
    this.issued++;
    if (this.issued % 256 === 0) this.clock = (this.clock + 1) & 0xffff;
    const clock = this.clock.toString(16).padStart(4, '0');
    return `${this.random.hex(8)}-${clock}-${this.random.hex(4)}-${this.random.hex(4)}-${this.random.pick(this.nodes)}`;
  }
}

/** A plausible NkMEDIA user, e.g. `user17@nkmedia`. */
export function userName(random: Random): string {
  return `user${random.int(1, 120)}@nkmedia`;
}
