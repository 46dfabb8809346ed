// Times and durations as the summary writes them.

/** An event time as ISO 8601 (UTC); the raw number when it is not a valid date. */
export function iso(ms: number): string {
  const d = new Date(ms);
  return isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/** `12.345 s`, `3 min 20 s`, `2 h 5 min`. */
export function seconds(s: number): string {
  if (s < 60) return `${Math.round(s * 1000) / 1000} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s - m * 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
