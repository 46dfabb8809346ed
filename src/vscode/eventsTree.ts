// The events tree: sources → Sessions / Rooms / Calls / Other → live objects, newest first,
// then "Ended" → ended objects, most recently ended first → their events, with rooms'
// publishers and listeners as links to those sessions. Refreshes are coalesced (at most a
// few per second) and fire only for the groups and objects that changed.
import * as vscode from 'vscode';
import { type EventFilter, type FilterState, type ObjectState, type StoreChange } from '../core';
import { DisposableStore } from '../shared/events';
import type { Source } from '../inspector/source';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import { GROUPS, NodeCache, connectionChildNodes, notesGroupNodes, noteListNodes, withMore, hasEndedList, memberChildNodes, nodeId, objectChildNodes, objectNodeId, type TreeNode, type ObjectNode, type EndedNode, type GroupNode, type SourceNode } from './treeNodes';
import { HoverHold } from './hoverHold';
import { objectRowSignature, objectTooltip, renderTreeItem } from './treeItems';
import { ObjectQuery } from '../inspector/objectQuery';

/**
 * How many ended objects, objects of no known kind, or events a list shows before "Show
 * more…", and how many more each click adds. Live objects are never paged.
 */
export const PAGE_SIZE = 200;
/** At most two refreshes a second: enough to feel live, rare enough to keep rows readable. */
const REFRESH_INTERVAL_MS = 500;

export class EventsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  private readonly nodes = new NodeCache();
  private readonly subscriptions = new DisposableStore();
  private readonly perSource = new Map<string, DisposableStore>();
  private readonly knownSources = new Map<string, Source>();
  /** How many children a list node shows; grows with "Show more…". */
  private readonly shown = new Map<string, number>();
  private readonly query = new ObjectQuery();

  private readonly _onDidChangePaused = new vscode.EventEmitter<boolean>();
  readonly onDidChangePaused = this._onDidChangePaused.event;

  private pending = new Map<string, StoreChange[]>();
  /** What each drawn object row showed (see `objectRowSignature`), by node id. */
  private readonly drawnRows = new Map<string, string>();
  private readonly expanded = new Set<string>();
  /** Rows under the pointer hold still while their tooltip is read. */
  private readonly hoverHold = new HoverHold<TreeNode>(
    (node) => this._onDidChangeTreeData.fire(node),
    () => {
      // Paused since: the display stands still; resuming redraws everything anyway.
      if (this._paused) {
        this.rootDirty = true;
        return false;
      }
      this.query.invalidate();
      return true;
    },
  );
  private rootDirty = false;
  private timer: NodeJS.Timeout | undefined;
  private _paused = false;

  /** `filters`: the one filter of the tree and the timelines; the tree follows it, never sets it. */
  constructor(
    private readonly registry: SourceRegistry,
    private readonly filters: FilterState,
  ) {
    this.query.setFilter(filters.filter);
    this.subscriptions.add(filters.onDidChange(({ filter }) => this.applyFilter(filter)));
    this.subscriptions.add(registry.onDidChange(() => this.syncSources()));
    this.subscriptions.add(registry.onDidChangeStatus((source) => this.scheduleRefresh(false, source)));
    this.syncSources();
  }

  get paused(): boolean {
    return this._paused;
  }

  get filter(): EventFilter {
    return this.filters.filter;
  }

  /** While paused, events are still received and stored; only the display stands still. */
  setPaused(paused: boolean): void {
    if (this._paused === paused) return;
    this._paused = paused;
    if (!paused) this.scheduleRefresh(true);
    this._onDidChangePaused.fire(paused);
  }

  /** Another filter means other lists: every page starts short again. */
  private applyFilter(filter: EventFilter): void {
    this.query.setFilter(filter);
    this.shown.clear();
    this.scheduleRefresh(true);
  }

  // --- TreeDataProvider -------------------------------------------------------------------

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.type === 'object') this.drawnRows.set(node.id, objectRowSignature(node.source.store.getObject(node.key)));
    return renderTreeItem(node, this.query);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.rootChildren();
    switch (node.type) {
      case 'source':
        return this.groupNodes(node.source);
      case 'group':
        return this.groupChildren(node);
      case 'ended':
        return this.endedChildren(node);
      case 'connection':
        return connectionChildNodes(this.nodes, node);
      case 'notes':
        return noteListNodes(this.nodes, node);
      case 'object':
        return this.objectChildren(node);
      case 'members': {
        const room = node.source.store.getObject(node.roomKey);
        return room ? memberChildNodes(this.nodes, node, room) : [];
      }
      default:
        return [];
    }
  }

  // --- navigation -------------------------------------------------------------------------

  /** The node of an object, for `TreeView.reveal`; undefined when the object is filtered out. */
  objectNode(source: Source, key: string): ObjectNode | undefined {
    // The lists are cached until the next refresh, and while the display is paused there is
    // none: a reveal must see the object's current place and events (a timeline selection of
    // an event that arrived after the pause found nothing to reveal).
    this.query.invalidate();
    const object = source.store.getObject(key);
    if (!object || !this.query.matchesObject(source.store, object)) return undefined;
    const group = this.groupNode(source, object.kind);
    const { live, ended } = this.query.liveAndEnded(source.store, object.kind);
    const inEnded = hasEndedList(object.kind) && object.ended;
    const list = inEnded ? ended : live;
    const index = list.findIndex((o) => o.key === key);
    if (index < 0) return undefined;
    const parent = inEnded ? this.endedNode(group) : group;
    // Reveal needs the node to be among its list's children: widen the page to include it.
    if (inEnded || !hasEndedList(object.kind)) this.widenPage(parent, index);
    return this.objectNodeFor(source, parent, key);
  }

  /** The node of an event, for `TreeView.reveal`; undefined when it is filtered out or gone. */
  eventNode(source: Source, objectKey: string, seq: number): TreeNode | undefined {
    const objectNode = this.objectNode(source, objectKey);
    if (!objectNode) return undefined;
    const index = this.query.eventsOf(source.store, objectKey).indexOf(seq);
    if (index < 0) return undefined;
    this.widenPage(objectNode, index);
    return this.nodes.get({ type: 'event', id: nodeId(source, 'event', seq), parent: objectNode, source, objectKey, seq });
  }

  /** Makes a list show at least up to `index`, refreshing it if that takes a longer page. */
  private widenPage(list: TreeNode, index: number): void {
    const limit = this.shown.get(list.id) ?? PAGE_SIZE;
    if (index < limit) return;
    this.shown.set(list.id, Math.ceil((index + 1) / PAGE_SIZE) * PAGE_SIZE);
    this._onDidChangeTreeData.fire(list);
  }

  /** "Show more…": widens the list the node ends. */
  showMore(node: TreeNode): void {
    if (node.type !== 'more' || !node.parent) return;
    const listId = node.parent.id;
    this.shown.set(listId, (this.shown.get(listId) ?? PAGE_SIZE) + PAGE_SIZE);
    this._onDidChangeTreeData.fire(node.parent);
  }

  // --- children ---------------------------------------------------------------------------

  private rootChildren(): TreeNode[] {
    const sources = this.registry.list();
    if (sources.length === 0) return [];
    if (sources.length === 1) return this.groupNodes(sources[0]);
    return sources.map((source) => this.sourceNode(source));
  }

  private sourceNode(source: Source): SourceNode {
    return this.nodes.get({ type: 'source', id: nodeId(source, 'source'), parent: undefined, source });
  }

  private groupNode(source: Source, kind: GroupNode['kind']): GroupNode {
    const parent = this.registry.list().length > 1 ? this.sourceNode(source) : undefined;
    return this.nodes.get({ type: 'group', id: nodeId(source, 'group', kind), parent, source, kind });
  }

  /**
   * The groups, the Connection row (the server's era, what needs a look: refused subscriptions,
   * no events, the gaps; with one source the only place naming the server), then "Notes".
   */
  private groupNodes(source: Source): TreeNode[] {
    const groups: TreeNode[] = GROUPS.map((g) => this.groupNode(source, g.kind));
    const parent = this.registry.list().length > 1 ? this.sourceNode(source) : undefined;
    groups.push(this.nodes.get({ type: 'connection', id: nodeId(source, 'connection'), parent, source }), ...notesGroupNodes(this.nodes, source, parent));
    return groups;
  }

  private endedNode(group: GroupNode): EndedNode {
    return this.nodes.get({ type: 'ended', id: nodeId(group.source, 'ended', group.kind), parent: group, source: group.source, kind: group.kind });
  }

  /** Live and ended objects get different ids: an object that ends moves to another list. */
  private objectNodeFor(source: Source, parent: GroupNode | EndedNode, key: string): ObjectNode {
    return this.nodes.get({ type: 'object', id: objectNodeId(source, key, parent.type === 'ended'), parent, source, key });
  }

  /** Every live object (never paged: they are what the tree is opened for), then "Ended". */
  private groupChildren(group: GroupNode): TreeNode[] {
    const { live, ended } = this.query.liveAndEnded(group.source.store, group.kind);
    if (!hasEndedList(group.kind)) return this.paged(group, live);
    const children: TreeNode[] = live.map((o) => this.objectNodeFor(group.source, group, o.key));
    if (ended.length > 0) children.push(this.endedNode(group));
    return children;
  }

  private endedChildren(node: EndedNode): TreeNode[] {
    const group = node.parent;
    if (group?.type !== 'group') return [];
    return this.paged(node, this.query.liveAndEnded(node.source.store, node.kind).ended);
  }

  private paged(list: GroupNode | EndedNode, objects: ObjectState[]): TreeNode[] {
    const limit = this.shown.get(list.id) ?? PAGE_SIZE;
    const page = objects.slice(0, limit).map((o) => this.objectNodeFor(list.source, list, o.key));
    return withMore(list, page, objects.length - page.length);
  }

  private objectChildren(node: ObjectNode): TreeNode[] {
    const store = node.source.store;
    const object = store.getObject(node.key);
    if (!object) return [];
    const seqs = this.query.eventsOf(store, node.key);
    const limit = this.shown.get(node.id) ?? PAGE_SIZE;
    return withMore(node, objectChildNodes(this.nodes, node, object, seqs.slice(0, limit)), seqs.length - Math.min(limit, seqs.length));
  }

  // --- refresh ----------------------------------------------------------------------------

  private syncSources(): void {
    const live = new Set(this.registry.list().map((s) => s.id));
    for (const [id, store] of this.perSource) {
      if (live.has(id)) continue;
      const source = this.knownSources.get(id);
      if (source) this.query.forget(source.store);
      this.knownSources.delete(id);
      store.dispose();
      this.perSource.delete(id);
      this.nodes.dropSource(id);
    }
    for (const source of this.registry.list()) {
      if (this.perSource.has(source.id)) continue;
      const store = new DisposableStore();
      store.add(source.store.onDidChange((change) => this.onStoreChange(source, change)));
      this.perSource.set(source.id, store);
      this.knownSources.set(source.id, source);
    }
    // Going from one source to several changes the shape of the whole tree.
    this.nodes.clear();
    this.drawnRows.clear();
    this.scheduleRefresh(true);
  }

  private onStoreChange(source: Source, change: StoreChange): void {
    if (change.cleared) this.drawnRows.clear();
    for (const key of change.removedObjects) {
      this.drawnRows.delete(objectNodeId(source, key, false));
      this.drawnRows.delete(objectNodeId(source, key, true));
    }
    // Keep filter matches current even while paused: resuming must not need a full rescan.
    this.query.applyChange(source.store, change);
    if (this._paused) {
      // Nothing is shown while paused: resuming redraws everything, so keep no backlog.
      this.rootDirty = true;
      return;
    }
    const list = this.pending.get(source.id) ?? [];
    list.push(change);
    this.pending.set(source.id, list);
    this.scheduleRefresh(change.cleared);
  }

  private scheduleRefresh(root: boolean, source?: Source): void {
    if (root) this.rootDirty = true;
    if (source && !this.pending.has(source.id)) this.pending.set(source.id, []);
    if (this.timer || this._paused) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refreshNow();
    }, REFRESH_INTERVAL_MS);
  }

  /** Redraws the whole tree, paused or not: a reveal failed on lists drawn before the node. */
  redrawForReveal(): void {
    this.query.invalidate();
    this._onDidChangeTreeData.fire(undefined);
  }

  /** Fires the coalesced changes: the root if its shape changed, else only changed groups and objects. */
  refreshNow(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this._paused) return;
    const pending = this.pending;
    this.pending = new Map();
    this.query.invalidate();
    if (this.rootDirty || pending.size > 4) {
      this.rootDirty = false;
      this.fireLive(undefined);
      return;
    }
    const multi = this.registry.list().length > 1;
    for (const [sourceId, changes] of pending) {
      const source = this.registry.get(sourceId);
      if (!source) continue;
      if (multi) this.fireLive(this.sourceNode(source));
      if (changes.some((c) => c.cleared)) {
        this.nodes.dropSource(sourceId);
        this.fireLive(multi ? this.sourceNode(source) : undefined);
        continue;
      }
      this.fireChangedNodes(source, changes);
    }
  }

  /**
   * Refreshes a group when objects joined or left it; otherwise only the objects that
   * changed, so rows of a quiet group are not redrawn (a redraw cancels the hover tooltip).
   * An object the tree has not drawn yet (beyond the page, or in a collapsed group) refreshes
   * its group, which is cheap there.
   */
  private fireChangedNodes(source: Source, changes: StoreChange[]): void {
    const store = source.store;
    if (changes.some((c) => c.markersChanged || c.annotationsChanged)) {
      // The "Connection" node comes and goes with gaps, "Notes" with notes (which also show
      // under their objects, anywhere below): refresh the level they live on.
      this.fireLive(this.registry.list().length > 1 ? this.sourceNode(source) : undefined);
      return;
    }
    const groups = new Set<GroupNode['kind']>();
    const objects = new Set<TreeNode>();
    for (const change of changes) {
      if (change.evicted > 0 || change.removedObjects.size > 0) {
        for (const g of GROUPS) groups.add(g.kind);
        break;
      }
      for (const key of change.addedObjects) groups.add(store.getObject(key)?.kind ?? 'other');
      for (const key of change.changedObjects) {
        const object = store.getObject(key);
        const kind = object?.kind ?? 'other';
        // Drawn in the list it belongs in: only its row changes. Drawn as live but now ended,
        // or not drawn yet: the group's lists changed (and its live count with them).
        const drawn = this.nodes.find(objectNodeId(source, key, hasEndedList(kind) && !!object?.ended));
        if (drawn) objects.add(drawn);
        else groups.add(kind);
      }
    }
    for (const kind of groups) this.fireLive(this.groupNode(source, kind));
    for (const node of objects) {
      if (node.type !== 'object' || groups.has(store.getObject(node.key)?.kind ?? 'other')) continue;
      // A row that would look the same is left alone (a redraw cancels its hover), unless it
      // is expanded: then its events or members below changed.
      if (!this.expanded.has(node.id) && this.drawnRows.get(node.id) === objectRowSignature(store.getObject(node.key))) continue;
      this.fireLive(node);
    }
  }

  // --- holding still under the pointer -------------------------------------------------------

  /**
   * Tracks which rows are expanded (their children change with their object) and forgets
   * collapsed ones; a click or an expansion ends the hover hold. Called once with the tree
   * view this provider feeds.
   */
  watchView(view: vscode.TreeView<TreeNode>): vscode.Disposable {
    const expandedChanged = (id: string, expanded: boolean) => {
      if (expanded) this.expanded.add(id);
      else this.expanded.delete(id);
      this.hoverHold.end();
    };
    return vscode.Disposable.from(
      view.onDidExpandElement((e) => expandedChanged(e.element.id, true)),
      view.onDidCollapseElement((e) => expandedChanged(e.element.id, false)),
      view.onDidChangeSelection(() => this.hoverHold.end()),
    );
  }

  /** VS Code resolves an item when its tooltip is about to show: hold that row still (hoverHold.ts). */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.type === 'object') {
      const object = node.source.store.getObject(node.key);
      if (object) item.tooltip = objectTooltip(object);
    }
    this.hoverHold.hold(node);
    return item;
  }

  /** Fires a refresh now, or when the hold on a row it would redraw ends. */
  private fireLive(node: TreeNode | undefined): void {
    this.hoverHold.refresh(node);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.hoverHold.dispose();
    for (const store of this.perSource.values()) store.dispose();
    this.subscriptions.dispose();
    this._onDidChangeTreeData.dispose();
    this._onDidChangePaused.dispose();
  }
}
