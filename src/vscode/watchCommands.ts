// Watches in the editor (#14 part 1): the Watches view, its commands (add, edit, remove,
// toggle), the list kept in the workspace's state, and what a hit on a live source does.
import * as vscode from 'vscode';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import { WATCH_ACTIONS, type WatchAction, type WatchSpec } from '../inspector/storeWatcher';
import { checkExpression, WatchBook, type SourceWatchHits } from '../inspector/watchBook';
import type { WatchHit } from '../inspector/watchScan';
import { Commands, ContextKeys, Views } from './ids';
import { ACTION_TEXT, describeHit, WatchesTreeProvider, type WatchNode } from './watchesView';

const STATE_KEY = 'nkmedia.watches';
/** A reveal moves the selection: at most this often per watch, to the latest hit. */
const REVEAL_INTERVAL_MS = 1000;

export interface WatchDeps {
  registry: SourceRegistry;
  workspaceState: vscode.Memento;
  log: vscode.LogOutputChannel;
  /** Selects the object (or event) in the tree, and in its timeline when one is open. */
  reveal(sourceId: string, objectKey: string, seq?: number): Promise<void>;
  pauseDisplay(): void;
}

export function registerWatches(deps: WatchDeps): { book: WatchBook; disposables: vscode.Disposable[] } {
  const book = new WatchBook(deps.registry, {
    load: () => deps.workspaceState.get(STATE_KEY),
    save: (specs) => void deps.workspaceState.update(STATE_KEY, specs),
  });
  const provider = new WatchesTreeProvider(book, deps.registry);
  const view = vscode.window.createTreeView(Views.watches, { treeDataProvider: provider });
  const showCount = () => {
    const enabled = book.specs().filter((w) => w.enabled).length;
    view.description = book.specs().length === 0 ? undefined : `${enabled} on`;
    void vscode.commands.executeCommand('setContext', ContextKeys.hasWatches, book.specs().length > 0);
  };
  showCount();
  const register = (id: string, handler: (...args: any[]) => unknown) => vscode.commands.registerCommand(id, handler);
  const refuse = (message: string) => void vscode.window.showErrorMessage(`NkMEDIA: ${message}`);
  const onHit = hitActions(deps);

  const pickWatch = async (node: unknown, title: string): Promise<WatchSpec | undefined> => {
    if (isWatchNode(node)) return book.get(node.spec.id);
    if (typeof node === 'string') return book.get(node);
    const picked = await vscode.window.showQuickPick(
      book.specs().map((spec) => ({ label: spec.expression, description: spec.enabled ? spec.action : 'off', spec })),
      { title: `NkMEDIA: ${title}` },
    );
    return picked?.spec;
  };

  return {
    book,
    disposables: [
      provider,
      view,
      book,
      book.onDidChange(showCount),
      book.onDidHit(onHit),
      view.onDidChangeCheckboxState((e) => {
        for (const [node, state] of e.items) if (node.type === 'watch') book.setEnabled(node.spec.id, state === vscode.TreeItemCheckboxState.Checked);
      }),
      // Arguments (from tests or a keybinding) are checked as typed input is.
      register(Commands.addWatch, async (expression?: unknown, action?: unknown) => {
        const text = typeof expression === 'string' ? expression : await askExpression('NkMEDIA: add a watch');
        if (text === undefined) return undefined;
        const chosen = isWatchAction(action) ? action : await askAction();
        if (!chosen) return undefined;
        const added = book.add(text, chosen);
        if ('error' in added) return refuse(`cannot watch "${text}": ${added.error}`);
        await vscode.commands.executeCommand(`${Views.watches}.focus`);
        return added;
      }),
      register(Commands.editWatch, async (node?: unknown) => {
        const spec = await pickWatch(node, 'edit which watch?');
        if (!spec) return;
        const text = await askExpression('NkMEDIA: edit the watch', spec.expression);
        if (text === undefined) return;
        const action = await askAction(spec.action);
        if (!action) return;
        const edited = book.edit(spec.id, { expression: text, action });
        if ('error' in edited) refuse(`cannot watch "${text}": ${edited.error}`);
      }),
      register(Commands.removeWatch, async (node?: unknown) => {
        const spec = await pickWatch(node, 'remove which watch?');
        if (spec) book.remove(spec.id);
      }),
      register(Commands.toggleWatch, async (node?: unknown) => {
        const spec = await pickWatch(node, 'turn which watch on or off?');
        if (spec) book.setEnabled(spec.id, !spec.enabled);
      }),
      register(Commands.revealWatchHit, (sourceId?: unknown, objectKey?: unknown, seq?: unknown) => {
        if (typeof sourceId !== 'string' || typeof objectKey !== 'string') return undefined;
        return deps.reveal(sourceId, objectKey, typeof seq === 'number' ? seq : undefined);
      }),
    ],
  };
}

/** What a hit on a live source does, per its watch's action (a trace's hits are only listed). */
function hitActions(deps: WatchDeps): (report: SourceWatchHits) => void {
  const notifying = new Set<string>();
  const lastReveal = new Map<string, number>();
  return (report) => {
    const { watch, source, hits, count } = report;
    const latest: WatchHit | undefined = hits[hits.length - 1];
    if (!latest) return;
    deps.log.info(`[watch] "${watch.expression}" hit ${count} time${count === 1 ? '' : 's'} on ${source.name}, latest ${latest.type} on ${latest.objectKey}`);
    switch (watch.action) {
      case 'notify': {
        // One notification per watch at a time: the view has the count and the list.
        if (notifying.has(watch.id)) return;
        notifying.add(watch.id);
        void vscode.window
          .showInformationMessage(`NkMEDIA: watch "${watch.expression}" hit: ${describeHit(latest)} (${source.name})`, 'Reveal')
          .then((choice) => {
            notifying.delete(watch.id);
            if (choice === 'Reveal') return deps.reveal(source.id, latest.objectKey);
            return undefined;
          });
        return;
      }
      case 'reveal': {
        const now = Date.now();
        if (now - (lastReveal.get(watch.id) ?? 0) < REVEAL_INTERVAL_MS) return;
        lastReveal.set(watch.id, now);
        void deps.reveal(source.id, latest.objectKey);
        return;
      }
      case 'pause':
        deps.pauseDisplay();
        void vscode.window.setStatusBarMessage(`NkMEDIA: display paused by watch "${watch.expression}" (${describeHit(latest)})`, 10_000);
        return;
      case 'marker':
        // Saved with the trace as {"line":"watch",…} (docs/trace-format.md).
        for (const hit of hits) source.store.addAnnotation({ line: 'watch', ts: hit.ts, watch: watch.expression, object: hit.objectKey, type: hit.type });
        return;
    }
  };
}

function askExpression(title: string, value?: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    value,
    prompt: 'Filter words (text, user:, type:, subclass:) and conditions, all of which must hold: body.code=486, body.code!=0, duration>5s',
    placeHolder: 'e.g. type:hangup body.code=486',
    validateInput: (text) => checkExpression(text) ?? null,
  });
}

async function askAction(current?: WatchAction): Promise<WatchAction | undefined> {
  const items = WATCH_ACTIONS.map((action) => ({ label: ACTION_TEXT[action].label, detail: ACTION_TEXT[action].detail, action, picked: action === current }));
  if (current) items.sort((a, b) => Number(b.action === current) - Number(a.action === current));
  const picked = await vscode.window.showQuickPick(items, { title: 'NkMEDIA: on a hit…' });
  return picked?.action;
}

function isWatchAction(value: unknown): value is WatchAction {
  return WATCH_ACTIONS.includes(value as WatchAction);
}

function isWatchNode(value: unknown): value is Extract<WatchNode, { type: 'watch' }> {
  return typeof value === 'object' && value !== null && (value as WatchNode).type === 'watch';
}
