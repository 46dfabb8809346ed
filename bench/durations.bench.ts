// What the answers of #14 cost on the hot path, per event, with a baseline in the same run:
// - duration histograms: DurationHistogram.record per recorded span, against the cheapest
//   possible counter (a typed-array increment at the value's index), and what that makes per
//   event of demo traffic (spans recorded per event × cost per span);
// - the health meter: answerQueued + answersWritten per answer (one clock read per frame is
//   the connection's), against the same typed-array increment.
// Medians of 7 runs; the machine is shared, so the ratios matter more than the nanoseconds.
import { EventStore, DURATION_SPANS, histogramOf } from '../src/core';
import { HealthMeter } from '../src/protocol/healthMeter';
import { DurationHistogram } from '../src/shared/histogram';
import { TrafficGenerator } from '../src/simulator/traffic';
import { collectGarbage, median, round } from './measure';

const RUNS = 7;
const VALUES = 1_000_000;
const EVENTS = 200_000;

function nsPerCall(run: () => void, calls: number): number {
  collectGarbage();
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / calls;
}

export default async function durationsBench(): Promise<{ figures: Record<string, unknown>; report: string[] }> {
  // Span lengths as demo traffic has them: 0.1 ms to minutes, log-spread.
  const values = new Float64Array(VALUES);
  for (let i = 0; i < VALUES; i++) values[i] = Math.exp(Math.random() * 14) / 10;
  const counts = new Float64Array(1 << 16);
  const baseline = () => {
    for (let i = 0; i < VALUES; i++) counts[values[i] & 0xffff]++;
  };
  const record = () => {
    const histogram = new DurationHistogram();
    for (let i = 0; i < VALUES; i++) histogram.record(values[i], 'media/call/x');
  };
  const meterRun = () => {
    const meter = new HealthMeter(() => 0);
    for (let i = 0; i < VALUES; i += 8) {
      for (let j = 0; j < 8; j++) meter.answerQueued(values[i + j]);
      meter.answersWritten();
    }
  };
  const base: number[] = [];
  const rec: number[] = [];
  const meter: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    base.push(nsPerCall(baseline, VALUES));
    rec.push(nsPerCall(record, VALUES));
    meter.push(nsPerCall(meterRun, VALUES));
  }

  // How many spans demo traffic records per event.
  const store = new EventStore({ maxEvents: EVENTS });
  const traffic = new TrafficGenerator({ seed: 1 });
  for (const data of traffic.take(EVENTS)) store.append({ conn: 'c', ts: Date.now(), data, raw: JSON.stringify(data) });
  const durations = store.durations();
  const spans = DURATION_SPANS.reduce((sum, span) => sum + histogramOf(durations, span).count, 0);
  store.dispose();
  const spansPerEvent = spans / EVENTS;

  const recordNs = median(rec);
  const baselineNs = median(base);
  const meterNs = median(meter);
  const figures = {
    histogramRecordNs: round(recordNs),
    baselineIncrementNs: round(baselineNs),
    histogramRatioToBaseline: round(recordNs / baselineNs),
    spansPerEvent: round(spansPerEvent),
    histogramMicrosPerEvent: round((recordNs * spansPerEvent) / 1000),
    healthMeterNsPerAnswer: round(meterNs),
    healthMeterRatioToBaseline: round(meterNs / baselineNs),
  };
  return {
    figures,
    report: [
      `duration histogram: ${figures.histogramRecordNs} ns per recorded span (baseline typed-array increment ${figures.baselineIncrementNs} ns, ratio ${figures.histogramRatioToBaseline}); medians of ${RUNS} runs of ${VALUES.toLocaleString('en')}`,
      `  demo traffic records ${figures.spansPerEvent} spans per event: ${figures.histogramMicrosPerEvent} µs per event`,
      `health meter: ${figures.healthMeterNsPerAnswer} ns per answer (ratio ${figures.healthMeterRatioToBaseline} to the same baseline)`,
    ],
  };
}
