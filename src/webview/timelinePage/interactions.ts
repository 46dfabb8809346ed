// Mouse, wheel and keyboard input, turned into controller actions:
//   wheel             zoom around the cursor (over the labels: scroll the rows)
//   Shift+wheel       pan in time
//   drag              pan (time and rows); Shift+drag or drag on the axis: brush a range
//   click             select the mark under the pointer; on a label: expand or collapse
//   keys              see KEY_HELP in dom.ts
import type { TimelineDom } from './dom';
import { AXIS_HEIGHT, GUTTER_WIDTH } from './renderer';
import type { TimelineController } from './timelineController';
import type { TimeView } from './viewport';

const DRAG_THRESHOLD_PX = 3;
const WHEEL_ZOOM_RATE = 0.0015;
const KEY_ZOOM_FACTOR = 0.5;
const KEY_PAN_FRACTION = 0.1;

type Drag =
  | { mode: 'pending' | 'pan'; x: number; y: number; view: TimeView; scroll: number; pointerId: number }
  | { mode: 'brush'; x: number; y: number; from: number; pointerId: number };

export function bindInteractions(dom: TimelineDom, controller: TimelineController): void {
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
      const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
      const dx = event.deltaX * unit;
      const dy = event.deltaY * unit;
      if (x < GUTTER_WIDTH) {
        controller.scrollBy(dy);
        return;
      }
      if (event.shiftKey || Math.abs(dx) > Math.abs(dy)) {
        const delta = event.shiftKey && dx === 0 ? dy : dx;
        controller.panFraction(delta / Math.max(1, canvas.clientWidth - GUTTER_WIDTH));
        return;
      }
      controller.zoom(Math.exp(dy * WHEEL_ZOOM_RATE), controller.timeAt(x - GUTTER_WIDTH));
    },
    { passive: false },
  );

  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    canvas.focus();
    const { x, y } = local(event);
    canvas.setPointerCapture(event.pointerId);
    controller.hideTooltip();
    if (x >= GUTTER_WIDTH && (event.shiftKey || y < AXIS_HEIGHT)) {
      const from = controller.timeAt(x - GUTTER_WIDTH);
      drag = { mode: 'brush', x, y, from, pointerId: event.pointerId };
      controller.setBrush({ from, to: from });
      return;
    }
    drag = { mode: 'pending', x, y, view: controller.currentView, scroll: controller.currentScroll, pointerId: event.pointerId };
  });

  canvas.addEventListener('pointermove', (event) => {
    const { x, y } = local(event);
    if (drag) {
      if (drag.mode === 'brush') {
        controller.setBrush({ from: drag.from, to: controller.timeAt(x - GUTTER_WIDTH) });
        return;
      }
      if (drag.mode === 'pending' && Math.hypot(x - drag.x, y - drag.y) < DRAG_THRESHOLD_PX) return;
      drag.mode = 'pan';
      controller.panPixels(x - drag.x, y - drag.y, drag.view, drag.scroll);
      return;
    }
    const hit = controller.hitAt(x, y);
    controller.setHover(hit?.row ?? -1);
    if (hit && x >= GUTTER_WIDTH && hit.position !== undefined) controller.showTooltip(hit, event.clientX, event.clientY);
    else controller.hideTooltip();
  });

  const endDrag = (event: PointerEvent, cancelled: boolean) => {
    if (!drag || drag.pointerId !== event.pointerId) return;
    const finished = drag;
    drag = undefined;
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
    if (cancelled) {
      controller.setBrush(undefined);
      return;
    }
    if (finished.mode === 'brush') {
      controller.applyBrush();
      return;
    }
    if (finished.mode === 'pending') click(local(event));
  };
  canvas.addEventListener('pointerup', (event) => endDrag(event, false));
  canvas.addEventListener('pointercancel', (event) => endDrag(event, true));
  canvas.addEventListener('pointerleave', () => {
    if (!drag) {
      controller.setHover(-1);
      controller.hideTooltip();
    }
  });

  const click = ({ x, y }: { x: number; y: number }) => {
    const hit = controller.hitAt(x, y);
    if (!hit) return;
    if (x < GUTTER_WIDTH) {
      controller.focusRow(hit.row);
      controller.toggleRow(hit.row);
      return;
    }
    if (hit.position !== undefined) controller.selectPosition(hit.position);
    else controller.focusRow(hit.row);
  };

  canvas.addEventListener('keydown', (event) => {
    if (event.altKey || event.metaKey || (event.ctrlKey && event.key !== '+' && event.key !== '-' && event.key !== '=')) return;
    let handled = true;
    switch (event.key) {
      case '+':
      case '=':
        controller.zoom(KEY_ZOOM_FACTOR);
        break;
      case '-':
      case '_':
        controller.zoom(1 / KEY_ZOOM_FACTOR);
        break;
      case 'ArrowLeft':
        controller.panFraction(-(event.shiftKey ? 0.5 : KEY_PAN_FRACTION));
        break;
      case 'ArrowRight':
        controller.panFraction(event.shiftKey ? 0.5 : KEY_PAN_FRACTION);
        break;
      case 'ArrowUp':
        controller.moveFocus(-1);
        break;
      case 'ArrowDown':
        controller.moveFocus(1);
        break;
      case 'PageUp':
        controller.moveFocus(-controller.pageRows());
        break;
      case 'PageDown':
        controller.moveFocus(controller.pageRows());
        break;
      case 'Home':
        controller.goToStart();
        break;
      case 'End':
        controller.goToEnd();
        break;
      case 'f':
      case 'F':
      case '0':
        controller.fitAll();
        break;
      case 'l':
      case 'L':
        controller.toggleFollow();
        break;
      case 'r':
      case 'R':
        controller.toggleRelative();
        break;
      case '[':
        controller.stepSelection(-1);
        break;
      case ']':
        controller.stepSelection(1);
        break;
      case 'Enter':
      case ' ': {
        const row = controller.rowAt(controller.focusedRowIndex);
        if (row?.kind === 'group' || (row?.kind === 'lane' && row.lane.members.length > 0 && event.key === ' ')) controller.toggleRow(controller.focusedRowIndex);
        else controller.selectNearestInFocusedRow();
        break;
      }
      case 'Escape':
        controller.clearSelection();
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  });
  canvas.addEventListener('focus', () => controller.requestDraw());
  canvas.addEventListener('blur', () => controller.requestDraw());

  dom.scroller.addEventListener('scroll', () => controller.onScrollerScroll());
  dom.fit.addEventListener('click', () => controller.fitAll());
  dom.emptyNoteFit.addEventListener('click', () => controller.fitAll());
  dom.zoomIn.addEventListener('click', () => controller.zoom(KEY_ZOOM_FACTOR));
  dom.zoomOut.addEventListener('click', () => controller.zoom(1 / KEY_ZOOM_FACTOR));
  dom.follow.addEventListener('click', () => controller.toggleFollow());
  dom.relative.addEventListener('click', () => controller.toggleRelative());
  dom.filterText.addEventListener('input', () => controller.onFilterInput());
  dom.filterType.addEventListener('change', () => controller.onFilterInput());
  dom.filterSubclass.addEventListener('change', () => controller.onFilterInput());
}
