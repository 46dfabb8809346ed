// The recorder's connection health samples (#14 part 3): every `everyMs` while recording,
// the client's health window (answer latency, the server's ping cadence, events) goes into
// the trace as a `health` line (docs/trace-format.md), with the events dropped in the window
// when writing fell behind; one more when the recording stops. `stats` summarises them, and
// the timeline draws them in its health strip.
import type { HealthMeter } from '../protocol/healthMeter';
import type { TraceAnnotationLine } from '../trace/traceFileFormat';

export const DEFAULT_HEALTH_SECONDS = 10;

export interface HealthRecorderTarget {
  writeAnnotation(line: TraceAnnotationLine): void;
  /** Events dropped so far (cumulative). */
  readonly dropped: number;
}

export function recordHealth(health: HealthMeter, target: HealthRecorderTarget, everyMs: number): { stop(): void } {
  let droppedBefore = target.dropped;
  health.sample(); // the login's window is not the server's traffic
  const write = () => {
    const sample = health.sample();
    if (sample.windowMs <= 0) return;
    const dropped = target.dropped - droppedBefore;
    droppedBefore = target.dropped;
    target.writeAnnotation({ line: 'health', ts: Date.now(), ...sample, ...(dropped > 0 ? { dropped } : {}) });
  };
  const timer = setInterval(write, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      write();
    },
  };
}
