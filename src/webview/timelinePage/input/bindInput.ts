// Mouse, wheel and keyboard on the canvas, and the toolbar buttons, turned into actions:
//   wheel             zoom around the cursor (over the labels: scroll the rows)
//   Shift+wheel       pan in time
//   drag              pan (time and rows); Shift+drag or drag on the axis: brush a range
//   click             select the mark under the pointer; on a label: expand or collapse
//   keys              the table in keymap.ts
import type { TimelineDom } from '../dom';
import { AXIS_HEIGHT, GUTTER_WIDTH } from '../state/geometry';
import type { TimelineActions } from './actions';
import { handleKey } from './keymap';

const DRAG_THRESHOLD_PX = 3;
const WHEEL_ZOOM_RATE = 0.0015;
const WHEEL_LINE_PX = 16;
const WHEEL_PAGE_PX = 400;

type Drag =
  | { mode: 'pending' | 'pan'; startX: number; startY: number; x: number; y: number; pointerId: number }
  | { mode: 'brush'; startX: number; pointerId: number };

export function bindInput(dom: TimelineDom, actions: TimelineActions): void {
  const canvas = dom.canvas;
  let drag: Drag | undefined;

  const local = (event: MouseEvent) => {
    const rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  canvas.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const { x } = local(event);
      const unit = event.deltaMode === 1 ? WHEEL_LINE_PX : event.deltaMode === 2 ? WHEEL_PAGE_PX : 1;
      const dx = event.deltaX * unit;
      const dy = event.deltaY * unit;
      if (x < GUTTER_WIDTH) actions.scrollRows(dy);
      else if (event.shiftKey || Math.abs(dx) > Math.abs(dy)) {
        const delta = event.shiftKey && dx === 0 ? dy : dx;
        actions.panTime(delta / Math.max(1, canvas.clientWidth - GUTTER_WIDTH));
      } else actions.zoomAt(Math.exp(dy * WHEEL_ZOOM_RATE), x);
    },
    { passive: false },
  );

  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    canvas.focus();
    const { x, y } = local(event);
    canvas.setPointerCapture(event.pointerId);
    actions.pointAt(undefined);
    if (x >= GUTTER_WIDTH && (event.shiftKey || y < AXIS_HEIGHT)) {
      drag = { mode: 'brush', startX: x, pointerId: event.pointerId };
      actions.brush(x, x);
      return;
    }
    drag = { mode: 'pending', startX: x, startY: y, x, y, pointerId: event.pointerId };
  });

  canvas.addEventListener('pointermove', (event) => {
    const { x, y } = local(event);
    if (!drag) {
      actions.pointAt({ x, y, clientX: event.clientX, clientY: event.clientY });
      return;
    }
    if (drag.mode === 'brush') {
      actions.brush(drag.startX, x);
      return;
    }
    if (drag.mode === 'pending' && Math.hypot(x - drag.startX, y - drag.startY) < DRAG_THRESHOLD_PX) return;
    drag.mode = 'pan';
    actions.dragBy(x - drag.x, y - drag.y);
    drag.x = x;
    drag.y = y;
  });

  const endDrag = (event: PointerEvent, cancelled: boolean) => {
    if (!drag || drag.pointerId !== event.pointerId) return;
    const finished = drag;
    drag = undefined;
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
    if (finished.mode === 'brush') actions.endBrush(!cancelled);
    else if (finished.mode === 'pending' && !cancelled) {
      const { x, y } = local(event);
      actions.clickAt(x, y);
    }
  };
  canvas.addEventListener('pointerup', (event) => endDrag(event, false));
  canvas.addEventListener('pointercancel', (event) => endDrag(event, true));
  canvas.addEventListener('pointerleave', () => {
    if (!drag) actions.pointAt(undefined);
  });

  canvas.addEventListener('keydown', (event) => {
    if (handleKey(actions, event)) event.preventDefault();
  });

  dom.fit.addEventListener('click', () => actions.run('fitAll'));
  dom.emptyNoteFit.addEventListener('click', () => actions.run('fitAll'));
  dom.zoomIn.addEventListener('click', () => actions.run('zoomIn'));
  dom.zoomOut.addEventListener('click', () => actions.run('zoomOut'));
  dom.follow.addEventListener('click', () => actions.run('toggleFollow'));
  dom.relative.addEventListener('click', () => actions.run('toggleRelative'));
  dom.bookmark.addEventListener('click', () => actions.run('bookmark'));
}
