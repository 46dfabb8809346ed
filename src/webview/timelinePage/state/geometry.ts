// Where things are on the canvas: the row labels on the left (the gutter), the time axis on
// top, the plot in the rest. Shared by the state (hit tests, page size), the renderer and
// the pointer input, so that all three agree on every pixel.

/** Width of the labels column, in CSS pixels. */
export const GUTTER_WIDTH = 220;
/** Height of the band above the rows: the time axis' labels, then the health strip. */
export const AXIS_HEIGHT = 40;
/** Of that band, the part with the tick labels; the health strip is below it. */
export const AXIS_LABEL_HEIGHT = 22;

export interface CanvasSize {
  readonly width: number;
  readonly height: number;
}

export function plotWidthOf(size: CanvasSize): number {
  return Math.max(1, size.width - GUTTER_WIDTH);
}

export function plotHeightOf(size: CanvasSize): number {
  return Math.max(0, size.height - AXIS_HEIGHT);
}
