// The canvas and what it needs to draw: its size (device pixels), the theme's palette, the
// icon font, one frame per animation frame at most, and the native scrollbar beside it.
// What to draw comes from the scene (the app); drawing itself is renderer.ts.
import type { TimelineDom } from '../dom';
import { AXIS_HEIGHT, type CanvasSize } from '../state/geometry';
import { readPalette, watchTheme, type Palette } from '../theme/palette';
import { drawFrame, type RenderInput } from './renderer';

/** What one frame shows, minus what the canvas itself knows (size, palette, icons). */
export type SceneFrame = Omit<RenderInput, 'width' | 'height' | 'palette' | 'iconsReady'> & {
  /** Height of all rows, for the scrollbar. */
  readonly contentHeight: number;
  /** Draw again next frame (live follow: bars grow with the clock). */
  readonly animate: boolean;
  /** Everything of the first load is in (for the benchmark's "first complete frame"). */
  readonly complete: boolean;
};

export interface Scene {
  frame(): SceneFrame;
  /** After the frame: the page updates what depends on it (the empty-window note). */
  afterFrame(): void;
}

export interface CanvasHooks {
  resized(size: CanvasSize): void;
  themeChanged(palette: Palette): void;
  /** The user moved the native scrollbar. */
  scrolled(top: number): void;
}

/** Optional timing probe for the benchmark: frame work times in ms. */
interface PerfProbe {
  frames: number[];
  firstCompleteFrame?: number;
  onFrame?: (ms: number) => void;
  /** Read a pixel back so the frame time includes the canvas raster, not just the JS. */
  flush?: boolean;
}
declare global {
  interface Window {
    __timelinePerf?: PerfProbe;
  }
}

export class CanvasView {
  private readonly ctx: CanvasRenderingContext2D;
  private currentPalette: Palette;
  private iconsReady = false;
  private frameRequested = false;
  private size: CanvasSize = { width: 1, height: 1 };
  private syncingScroller = false;
  private scene: Scene | undefined;

  constructor(
    private readonly dom: TimelineDom,
    private readonly hooks: CanvasHooks,
  ) {
    const ctx = dom.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2D canvas');
    this.ctx = ctx;
    this.currentPalette = readPalette();
    watchTheme(() => {
      this.currentPalette = readPalette();
      hooks.themeChanged(this.currentPalette);
      this.requestDraw();
    });
    void document.fonts?.load('14px codicon').then(() => {
      this.iconsReady = document.fonts.check('14px codicon');
      this.requestDraw();
    });
    new ResizeObserver(() => this.resize()).observe(dom.plot);
    // The focus ring of the focused row shows only while the canvas has the focus.
    dom.canvas.addEventListener('focus', () => this.requestDraw());
    dom.canvas.addEventListener('blur', () => this.requestDraw());
    dom.scroller.addEventListener('scroll', () => {
      if (this.syncingScroller) {
        this.syncingScroller = false;
        return;
      }
      hooks.scrolled(dom.scroller.scrollTop);
    });
  }

  get palette(): Palette {
    return this.currentPalette;
  }

  /** Starts drawing: the first frame measures the canvas. */
  show(scene: Scene): void {
    this.scene = scene;
    this.resize();
  }

  requestDraw(): void {
    if (this.frameRequested || !this.scene) return;
    this.frameRequested = true;
    requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frameRequested = false;
    const scene = this.scene;
    if (!scene) return;
    const started = performance.now();
    const frame = scene.frame();
    this.dom.scrollSpacer.style.height = `${frame.contentHeight + AXIS_HEIGHT}px`;
    drawFrame(this.ctx, {
      ...frame,
      width: this.size.width,
      height: this.size.height,
      palette: this.currentPalette,
      iconsReady: this.iconsReady,
      focusedRow: document.activeElement === this.dom.canvas ? frame.focusedRow : -1,
    });
    this.syncScroller(frame.scrollTop);
    scene.afterFrame();
    const probe = window.__timelinePerf;
    if (probe) {
      if (probe.flush) this.ctx.getImageData(0, 0, 1, 1);
      const ms = performance.now() - started;
      probe.frames.push(ms);
      if (probe.firstCompleteFrame === undefined && frame.complete) probe.firstCompleteFrame = performance.now();
      probe.onFrame?.(ms);
    }
    if (frame.animate) this.requestDraw();
  }

  private resize(): void {
    const rect = this.dom.plot.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.size = { width: Math.max(1, Math.floor(rect.width)), height: Math.max(1, Math.floor(rect.height)) };
    const canvas = this.dom.canvas;
    canvas.width = Math.floor(this.size.width * dpr);
    canvas.height = Math.floor(this.size.height * dpr);
    canvas.style.width = `${this.size.width}px`;
    canvas.style.height = `${this.size.height}px`;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.hooks.resized(this.size);
    this.requestDraw();
  }

  private syncScroller(scrollTop: number): void {
    const target = Math.round(scrollTop);
    if (Math.abs(this.dom.scroller.scrollTop - target) < 1) return;
    this.syncingScroller = true;
    this.dom.scroller.scrollTop = target;
  }
}
