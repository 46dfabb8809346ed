// Limits on what a store keeps of events that were not valid (no class, a numeric obj_id…).
// A trace written by `record` keeps each whole; a store in the editor keeps the first ones,
// each shortened, so that a server sending nothing else cannot fill the editor's memory.

/** Characters of an invalid event's frame a store keeps (16 KB: any real event whole). */
export const MAX_KEPT_FRAME_CHARS = 16 * 1024;
/** Invalid events a store keeps; later ones are counted only. */
export const MAX_INVALID_MARKERS = 1000;

export function shortenedFrame(frame: string): string {
  if (frame.length <= MAX_KEPT_FRAME_CHARS) return frame;
  return `${frame.slice(0, MAX_KEPT_FRAME_CHARS)}… (${frame.length} chars; the trace written by record keeps the whole frame)`;
}
