// Holds the tree still under the pointer. VS Code resolves an item when its tooltip is about
// to show; a refresh of that row, or of a list it is in, redraws it and takes the tooltip
// away. So refreshes of the hovered row and its ancestors wait until the tooltip has been
// read (HOVER_HOLD_MS); every other part of the tree stays live. No `vscode` import.

/** How long the rows under the pointer hold still once their tooltip shows. */
export const HOVER_HOLD_MS = 4_000;

interface HeldNode {
  readonly id: string;
  readonly parent?: HeldNode;
}

export class HoverHold<T extends HeldNode> {
  private readonly held = new Set<string>();
  private holdUntil = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly deferred = new Set<T | undefined>();

  /**
   * `fire` refreshes a node (undefined: the whole tree). `release` runs when a hold ends with
   * refreshes waiting; false drops them (the display is paused and will redraw anyway).
   */
  constructor(
    private readonly fire: (node: T | undefined) => void,
    private readonly release: () => boolean,
    private readonly holdMs = HOVER_HOLD_MS,
  ) {}

  /** The pointer rests on `node`: it and its ancestors hold still for a while. */
  hold(node: T): void {
    this.held.clear();
    for (let n: HeldNode | undefined = node; n; n = n.parent) this.held.add(n.id);
    this.holdUntil = Date.now() + this.holdMs;
  }

  /** Fires a refresh now, or when the hold on a row it would redraw ends. */
  refresh(node: T | undefined): void {
    const heldNow = Date.now() < this.holdUntil && (node === undefined || this.held.has(node.id));
    if (!heldNow) {
      this.fire(node);
      return;
    }
    this.deferred.add(node);
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.holdUntil - Date.now()));
  }

  /**
   * The user clicked, expanded or collapsed: the tooltip is gone, so the hold ends now. Kept,
   * it would show a list fetched now under a parent drawn before the hold: an object that
   * ended meanwhile listed both live and under "Ended", and "Ended 3" above five rows.
   */
  end(): void {
    this.holdUntil = 0;
    if (this.timer) clearTimeout(this.timer);
    this.flush();
  }

  private flush(): void {
    this.timer = undefined;
    const deferred = [...this.deferred];
    this.deferred.clear();
    if (deferred.length === 0 || !this.release()) return;
    // The whole tree, if that was asked for; else each list, at most once.
    if (deferred.includes(undefined)) this.fire(undefined);
    else for (const n of deferred) this.fire(n);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
