// What the conditions of a store's watches said about its newest events, worked out as each
// was appended, from the data the caller had just parsed (EventStore.onAppend). A watcher's
// run, up to 100 ms later, then tests its conditions on body fields without parsing the
// stored text again: on the live ingest bench that parse was most of what watching cost.
//
// A ring of the last RING_SIZE events, one bit per watch (the first 32 that read fields; the
// others, and events that left the ring before a run reached them, are parsed as before). The
// filter is not decided here: who the object's user is, or its text, may change before the run.
const RING_BITS = 16;
/** 65,536 events: 650 ms at 100,000 events/s, where the editor's runs come every 100 ms. */
export const RING_SIZE = 1 << RING_BITS;
const RING_MASK = RING_SIZE - 1;
export const MAX_DECIDED_WATCHES = 32;

export class ConditionVerdicts {
  /** The seq each slot holds, -1 when none (sequence numbers start at 1 and are never reused). */
  private readonly seqs = new Float64Array(RING_SIZE).fill(-1);
  private readonly decided = new Uint32Array(RING_SIZE);
  private readonly held = new Uint32Array(RING_SIZE);

  /** Records, for `seq`, which watches' conditions were decided (`decided` bits) and held (`held` bits). */
  record(seq: number, decided: number, held: number): void {
    const slot = seq & RING_MASK;
    this.seqs[slot] = seq;
    this.decided[slot] = decided;
    this.held[slot] = held;
  }

  /** Whether watch `bit`'s conditions held for `seq`; undefined when that was not decided. */
  verdict(seq: number, bit: number): boolean | undefined {
    const slot = seq & RING_MASK;
    if (this.seqs[slot] !== seq || (this.decided[slot] & (1 << bit)) === 0) return undefined;
    return (this.held[slot] & (1 << bit)) !== 0;
  }

  /** Forgets every verdict (the watches' bits were given out again). */
  clear(): void {
    this.seqs.fill(-1);
  }
}
