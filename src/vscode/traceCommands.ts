// "NkMEDIA: Save Trace", "Open Trace…", "Replay Trace" and "Export…": the VS Code side of
// trace files. The work is in src/trace; this file asks the questions (quick picks, file
// dialogs), shows progress with a Cancel button, and reports.
//
// For tests and scripting every command also takes its answers as arguments and then shows
// no dialog: e.g. executeCommand('nkmedia.openTrace', uri), executeCommand('nkmedia.saveTrace',
// uri, { sourceId, scope }), executeCommand('nkmedia.exportTrace', { sourceId, format, out }).
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { describeObject, isEmptyFilter, matchingObjectKeys, shortId, type EventFilter, type ObjectState } from '../core';
import { LiveSource } from '../inspector/liveSource';
import type { Source } from '../inspector/source';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import { TraceSource } from '../inspector/traceSource';
import { taggedLogger } from '../shared/logger';
import { isCancelled } from '../trace/errors';
import { EXPORT_EXTENSIONS, EXPORT_FORMATS, writeTraceExport, type ExportFormat } from '../trace/exportTrace';
import { TRACE_EXTENSIONS } from '../trace/traceFileFormat';
import { loadTrace, MAX_LISTED_INVALID_LINES } from '../trace/loadTrace';
import { TraceReplayer, type ReplaySummary } from '../trace/replay';
import { saveTrace, type SavedTrace, type TraceHeaderFields } from '../trace/saveTrace';
import { AtomicTextFile } from '../trace/textOutput';
import { readMaxEvents } from './config';
import { Commands } from './ids';
import type { TreeNode } from './treeNodes';

/** The replay server, like the demo server, listens on loopback only with these credentials. */
const REPLAY_USER = 'admin';
const REPLAY_PASSWORD = 'admin';
/** Progress notifications are updated at most this often. */
const PROGRESS_INTERVAL_MS = 200;

export interface TraceCommandDeps {
  registry: SourceRegistry;
  connections: { connectWithFeedback(request: { name: string; url: string; user: string; password?: string }): Promise<Source | undefined> };
  /** The events tree's filter, for "Save filtered objects". */
  tree: { readonly filter: EventFilter };
  /** The events tree, for "Save selected objects" and exports of the selected object. */
  treeView: vscode.TreeView<TreeNode>;
  log: vscode.LogOutputChannel;
  /** Written into saved headers, e.g. "NkMEDIA Inspector 0.1.0". */
  tool?: string;
}

export type SaveScope = 'all' | 'filtered' | 'selected';

export interface SaveTraceArgs {
  sourceId?: string;
  scope?: SaveScope;
  /** Instead of a scope: exactly these objects. */
  objectKeys?: string[];
}

export interface ReplayTraceArgs {
  speed?: number;
  max?: boolean;
  /** true: connect at once; false: do not offer; undefined: ask. */
  connect?: boolean;
}

export interface ReplayStarted {
  url: string;
  port: number;
  user: string;
  password: string;
  /** The live source connected to it, when connected. */
  sourceId?: string;
  done: Promise<ReplaySummary | undefined>;
  stop(): Promise<void>;
}

export interface ExportTraceArgs {
  sourceId?: string;
  format?: ExportFormat;
  /** One object (and its related objects); required for mermaid. */
  objectKey?: string;
  out?: vscode.Uri;
}

export function registerTraceCommands(deps: TraceCommandDeps): vscode.Disposable[] {
  const replays = new Set<ReplayStarted>();
  return [
    vscode.commands.registerCommand(Commands.openTrace, (uri?: vscode.Uri | vscode.Uri[]) => openTraces(deps, uri)),
    vscode.commands.registerCommand(Commands.saveTrace, (target?: vscode.Uri | TreeNode, args?: SaveTraceArgs) => saveTraceCommand(deps, target, args)),
    vscode.commands.registerCommand(Commands.replayTrace, (uri?: vscode.Uri, args?: ReplayTraceArgs) => replayTraceCommand(deps, replays, uri, args)),
    vscode.commands.registerCommand(Commands.exportTrace, (target?: ExportTraceArgs | TreeNode) => exportTraceCommand(deps, target)),
    { dispose: () => void Promise.all([...replays].map((r) => r.stop())) },
  ];
}

// ---- Open Trace… ----

async function openTraces(deps: TraceCommandDeps, given: vscode.Uri | vscode.Uri[] | undefined): Promise<TraceSource | undefined> {
  const uris = given === undefined ? await askTraceFiles(true) : Array.isArray(given) ? given : [given];
  let last: TraceSource | undefined;
  for (const uri of uris ?? []) last = (await openTraceAsSource(deps, uri, { reuse: false })) ?? last;
  if (last) void vscode.commands.executeCommand('workbench.view.extension.nkmedia');
  return last;
}

/**
 * Loads a trace file as a source in the tree (with progress and Cancel), reporting bad lines in
 * the log and a summary. With `reuse`, a source already open from the same file is returned.
 */
export async function openTraceAsSource(deps: TraceCommandDeps, uri: vscode.Uri, options: { reuse: boolean }): Promise<TraceSource | undefined> {
  const filePath = uri.fsPath;
  if (options.reuse) {
    const open = deps.registry.list().find((s): s is TraceSource => s instanceof TraceSource && s.filePath === filePath);
    if (open) return open;
  }
  const name = TraceSource.nameFor(filePath);
  const log = taggedLogger(deps.log, 'trace');
  // Every bad line goes to the log, up to the number a result lists; past that, a count.
  let logged = 0;
  try {
    const loaded = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `NkMEDIA: opening ${name}`, cancellable: true },
      (progress, token) =>
        loadTrace(filePath, {
          maxEvents: readMaxEvents(),
          signal: abortOn(token),
          onProgress: progressReporter(progress),
          onInvalidLine: (bad) => {
            if (++logged <= MAX_LISTED_INVALID_LINES) log.warn(`${name}: line ${bad.line}: ${bad.reason}`);
          },
        }),
    );
    if (loaded.invalidLineCount > MAX_LISTED_INVALID_LINES) {
      log.warn(`${name}: ${loaded.invalidLineCount - MAX_LISTED_INVALID_LINES} more bad lines not listed here (nkmedia-inspect stats lists them all)`);
    }
    const source = new TraceSource(deps.registry.uniqueId(name), loaded);
    deps.registry.add(source);
    const summary = `${loaded.events.toLocaleString('en-US')} events, ${source.store.objects().length.toLocaleString('en-US')} objects`;
    log.info(`opened ${filePath}: ${summary}, ${loaded.invalidLineCount} bad lines`);
    if (source.store.evictedCount > 0) {
      void vscode.window.showWarningMessage(`NkMEDIA: ${name} has more events than the setting nkmedia.maxEvents (${readMaxEvents().toLocaleString('en-US')}): the oldest ${source.store.evictedCount.toLocaleString('en-US')} were not kept.`);
    }
    if (loaded.invalidLineCount > 0) {
      const plural = loaded.invalidLineCount === 1 ? 'line was' : 'lines were';
      void vscode.window
        .showWarningMessage(`NkMEDIA: opened ${name} (${summary}). ${loaded.invalidLineCount.toLocaleString('en-US')} bad ${plural} skipped: see the log for line numbers and reasons.`, 'Show Log')
        .then((choice) => choice && deps.log.show());
    } else {
      void vscode.window.setStatusBarMessage(`NkMEDIA: opened ${name}: ${summary}`, 5000);
    }
    return source;
  } catch (error) {
    reportFailure(deps, `open ${name}`, error);
    return undefined;
  }
}

// ---- Save Trace ----

async function saveTraceCommand(deps: TraceCommandDeps, target: vscode.Uri | TreeNode | undefined, args: SaveTraceArgs = {}): Promise<SavedTrace | undefined> {
  const node = target instanceof vscode.Uri ? undefined : target;
  const source = args.sourceId !== undefined ? deps.registry.get(args.sourceId) : (node?.source ?? (await pickSource(deps, 'Save which source?')));
  if (!source) {
    if (args.sourceId !== undefined) void vscode.window.showErrorMessage(`NkMEDIA: no open source named "${args.sourceId}".`);
    else if (deps.registry.list().length === 0) void vscode.window.showInformationMessage('NkMEDIA: nothing to save yet: connect to a server, start the demo server or open a trace first.');
    return undefined;
  }
  const objectKeys = args.objectKeys ?? (await chooseObjects(deps, source, args.scope));
  if (objectKeys === null) return undefined;
  const uri = target instanceof vscode.Uri ? target : await askSaveLocation(source);
  if (!uri) return undefined;
  const filePath = withTraceExtension(uri.fsPath);
  const name = path.basename(filePath);
  try {
    const saved = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `NkMEDIA: saving ${name}`, cancellable: true },
      (progress, token) => {
        const report = progressReporter(progress);
        return saveTrace(source.store, filePath, { header: headerFor(deps, source), objectKeys, signal: abortOn(token), onProgress: report });
      },
    );
    deps.log.info(`[trace] saved ${saved.events} events of ${source.name} to ${filePath}`);
    void vscode.window.showInformationMessage(`NkMEDIA: saved ${saved.events.toLocaleString('en-US')} events to ${name}.`, 'Open').then((choice) => {
      if (choice) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(filePath));
    });
    return saved;
  } catch (error) {
    reportFailure(deps, `save ${name}`, error);
    return undefined;
  }
}

/** The objects to save: undefined for all; null when the user cancelled. */
async function chooseObjects(deps: TraceCommandDeps, source: Source, scope: SaveScope | undefined): Promise<string[] | undefined | null> {
  const filtered = () => [...matchingObjectKeys(source.store, deps.tree.filter)];
  const selected = () => selectedObjectKeys(deps, source);
  if (scope === 'all') return undefined;
  if (scope === 'filtered') return filtered();
  if (scope === 'selected') return selected();
  type Pick = vscode.QuickPickItem & { scope: SaveScope };
  const picks: Pick[] = [{ label: '$(files) Everything', description: `${source.store.size.toLocaleString('en-US')} events`, scope: 'all' }];
  if (!isEmptyFilter(deps.tree.filter)) picks.push({ label: '$(filter) Filtered objects', description: 'the objects the tree shows under its filter', scope: 'filtered' });
  const selection = selected();
  if (selection.length > 0) picks.push({ label: '$(list-selection) Selected objects', description: `${selection.length} selected in the tree`, scope: 'selected' });
  if (picks.length === 1) return undefined;
  const choice = await vscode.window.showQuickPick(picks, { title: `NkMEDIA: save what of ${source.name}?` });
  if (!choice) return null;
  return choice.scope === 'all' ? undefined : choice.scope === 'filtered' ? filtered() : selection;
}

function selectedObjectKeys(deps: TraceCommandDeps, source: Source): string[] {
  const keys = new Set<string>();
  for (const node of deps.treeView.selection) {
    if (node.source !== source) continue;
    if (node.type === 'object') keys.add(node.key);
    else if (node.type === 'link') keys.add(node.targetKey);
    else if (node.type === 'event') keys.add(node.objectKey);
  }
  return [...keys];
}

function headerFor(deps: TraceCommandDeps, source: Source): TraceHeaderFields {
  if (source instanceof TraceSource) return { ...source.header, tool: deps.tool ?? source.header.tool };
  const header: TraceHeaderFields = { source: { name: source.name }, tool: deps.tool };
  if (source instanceof LiveSource) {
    header.source = { url: source.url, name: source.name };
    // What the capture asked the server for, so its summary can tell "nothing happened" from
    // "not subscribed" (it read "(not recorded)" for every capture saved here).
    header.subscriptions = source.client.subscriptions.map((s) => ({ ...s }));
  }
  // The era, so that the trace opens with that era's tables and replays in its dialect.
  const dialect = source.server.dialect.id;
  if (dialect !== undefined) header.dialect = dialect;
  return header;
}

async function askSaveLocation(source: Source): Promise<vscode.Uri | undefined> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const base = source.name.replace(/\.(nkmtrace|jsonl|ndjson)(\.gz)?$/i, '').replace(/[^\w.-]+/g, '_');
  return vscode.window.showSaveDialog({
    title: `NkMEDIA: save ${source.name} as a trace`,
    defaultUri: vscode.Uri.file(path.join(defaultFolder(), `${base}-${stamp}.nkmtrace`)),
    filters: { 'NkMEDIA trace': ['nkmtrace'], 'NkMEDIA trace, gzipped': ['gz'], 'JSON Lines': ['jsonl', 'ndjson'] },
  });
}

/** `capture` → `capture.nkmtrace`, `capture.gz` → `capture.nkmtrace.gz`; known extensions stay. */
export function withTraceExtension(filePath: string): string {
  const lower = filePath.toLowerCase();
  const gz = lower.endsWith('.gz');
  const stem = gz ? lower.slice(0, -3) : lower;
  if (TRACE_EXTENSIONS.some((ext) => stem.endsWith(ext))) return filePath;
  return gz ? `${filePath.slice(0, -3)}.nkmtrace.gz` : `${filePath}.nkmtrace`;
}

// ---- Replay Trace ----

async function replayTraceCommand(deps: TraceCommandDeps, replays: Set<ReplayStarted>, given: vscode.Uri | undefined, args: ReplayTraceArgs = {}): Promise<ReplayStarted | undefined> {
  const uri = given ?? (await askTraceFiles(false))?.[0];
  if (!uri) return undefined;
  const timing = args.speed !== undefined || args.max !== undefined ? { speed: args.speed ?? 1, max: args.max ?? false } : await askReplayTiming();
  if (!timing) return undefined;
  const name = path.basename(uri.fsPath);
  const controller = new AbortController();
  const replayer = new TraceReplayer({
    filePath: uri.fsPath,
    speed: timing.max ? 1 : timing.speed,
    max: timing.max,
    signal: controller.signal,
    logger: taggedLogger(deps.log, 'replay'),
    server: { host: '127.0.0.1', port: 0, user: REPLAY_USER, password: REPLAY_PASSWORD, pingSeconds: 5 },
  });
  let address: { url: string; port: number };
  try {
    address = await replayer.start();
  } catch (error) {
    await replayer.stop();
    reportFailure(deps, `replay ${name}`, error);
    return undefined;
  }
  let stopped = false;
  const started: ReplayStarted = {
    ...address,
    user: REPLAY_USER,
    password: REPLAY_PASSWORD,
    done: replayer.run().then(
      (summary) => {
        deps.log.info(`[replay] ${name}: ${summary.events} events replayed in ${summary.seconds.toFixed(1)} s`);
        void vscode.window.showInformationMessage(`NkMEDIA: replay of ${name} finished: ${summary.events.toLocaleString('en-US')} events.`, 'Stop Replay Server').then((choice) => {
          if (choice) void started.stop();
        });
        return summary;
      },
      (error: unknown) => {
        if (!isCancelled(error)) reportFailure(deps, `replay ${name}`, error);
        return undefined;
      },
    ),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      replays.delete(started);
      controller.abort();
      await replayer.stop();
      deps.log.info(`[replay] server for ${name} stopped`);
    },
  };
  replays.add(started);
  deps.log.info(`[replay] serving ${name} on ${address.url} (user ${REPLAY_USER}, password ${REPLAY_PASSWORD}: loopback only); it starts when a client subscribes`);

  const connect = async () => {
    const source = await deps.connections.connectWithFeedback({ name: `replay of ${name}`, url: address.url, user: REPLAY_USER, password: REPLAY_PASSWORD });
    if (!source) return;
    started.sourceId = source.id;
    // Closing the replay's source in the tree ends the replay and its server.
    const watch = deps.registry.onDidChange(() => {
      if (deps.registry.get(source.id)) return;
      watch.dispose();
      void started.stop();
    });
  };
  if (args.connect === true) {
    await connect();
  } else if (args.connect === undefined) {
    void vscode.window
      .showInformationMessage(`NkMEDIA: replaying ${name} on ${address.url}. It starts when a client logs in and subscribes (user ${REPLAY_USER}).`, 'Connect', 'Copy URL', 'Stop')
      .then(async (choice) => {
        if (choice === 'Connect') await connect();
        else if (choice === 'Copy URL') await vscode.env.clipboard.writeText(address.url);
        else if (choice === 'Stop') await started.stop();
      });
  }
  return started;
}

async function askReplayTiming(): Promise<{ speed: number; max: boolean } | undefined> {
  type Pick = vscode.QuickPickItem & { speed: number; max: boolean };
  const picks: Pick[] = [
    { label: 'Original timing', description: '1×', speed: 1, max: false },
    { label: '10× faster', speed: 10, max: false },
    { label: '100× faster', speed: 100, max: false },
    { label: 'As fast as the client answers', description: 'no timing', speed: 1, max: true },
  ];
  const choice = await vscode.window.showQuickPick(picks, { title: 'NkMEDIA: replay timing' });
  return choice ? { speed: choice.speed, max: choice.max } : undefined;
}

// ---- Export… ----

async function exportTraceCommand(deps: TraceCommandDeps, target: ExportTraceArgs | TreeNode | undefined): Promise<vscode.Uri | undefined> {
  const node = isTreeNode(target) ? target : undefined;
  const args: ExportTraceArgs = isTreeNode(target) ? {} : (target ?? {});
  const source = args.sourceId !== undefined ? deps.registry.get(args.sourceId) : (node?.source ?? (await pickSource(deps, 'Export which source?')));
  if (!source) {
    if (args.sourceId !== undefined) void vscode.window.showErrorMessage(`NkMEDIA: no open source named "${args.sourceId}".`);
    else if (deps.registry.list().length === 0) void vscode.window.showInformationMessage('NkMEDIA: nothing to export: open a trace or connect first.');
    return undefined;
  }
  const format = args.format ?? (await askExportFormat());
  if (!format) return undefined;
  // From a tree item: that object (and its related ones). A diagram needs one: the selection, or ask.
  let objectKey: string | undefined = args.objectKey ?? (node ? objectKeyOf(node) : undefined);
  if (format === 'mermaid' && objectKey === undefined) objectKey = selectedObjectKeys(deps, source)[0] ?? (await pickObject(source));
  if (format === 'mermaid' && objectKey === undefined) return undefined;
  const object = objectKey === undefined ? undefined : source.store.getObject(objectKey);
  const uri = args.out ?? (await askExportLocation(source, format, object));
  if (!uri) return undefined;
  const name = path.basename(uri.fsPath);
  const output = new AtomicTextFile(uri.fsPath);
  try {
    const events = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `NkMEDIA: exporting ${name}`, cancellable: true },
      (_progress, token) =>
        writeTraceExport(source.store, output, {
          format,
          objectKey,
          title: source.name,
          header: source instanceof TraceSource ? source.header : undefined,
          signal: abortOn(token),
        }),
    );
    await output.close();
    deps.log.info(`[trace] exported ${events} events of ${source.name} as ${format} to ${uri.fsPath}`);
    const actions = format === 'mermaid' ? ['Copy to Clipboard', 'Open'] : ['Open'];
    void vscode.window.showInformationMessage(`NkMEDIA: exported ${events.toLocaleString('en-US')} events to ${name}.`, ...actions).then(async (choice) => {
      if (choice === 'Open') await vscode.commands.executeCommand('vscode.open', uri);
      if (choice === 'Copy to Clipboard') await vscode.env.clipboard.writeText(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
    });
    return uri;
  } catch (error) {
    await output.abort();
    reportFailure(deps, `export ${name}`, error);
    return undefined;
  }
}

async function askExportFormat(): Promise<ExportFormat | undefined> {
  const labels: Record<ExportFormat, [string, string]> = {
    'chrome-trace': ['$(graph) Chrome Trace (Perfetto)', 'JSON for ui.perfetto.dev and chrome://tracing'],
    mermaid: ['$(type-hierarchy-sub) Mermaid sequence diagram', 'one object and its related objects, for a bug report'],
    csv: ['$(table) CSV', 'one row per event'],
  };
  const choice = await vscode.window.showQuickPick(
    EXPORT_FORMATS.map((format) => ({ label: labels[format][0], detail: labels[format][1], format })),
    { title: 'NkMEDIA: export as' },
  );
  return choice?.format;
}

async function pickObject(source: Source): Promise<string | undefined> {
  const objects = source.store.objects().filter((o) => o.kind !== 'other');
  const picks = objects.slice(0, 5000).map((o: ObjectState) => {
    const { label, description } = describeObject(o);
    return { label: `${o.kind} ${label}`, description: description ?? '', detail: o.objId, key: o.key };
  });
  const choice = await vscode.window.showQuickPick(picks, { title: 'NkMEDIA: diagram of which object?', matchOnDetail: true, matchOnDescription: true });
  return choice?.key;
}

async function askExportLocation(source: Source, format: ExportFormat, object: ObjectState | undefined): Promise<vscode.Uri | undefined> {
  const base = source.name.replace(/\.(nkmtrace|jsonl|ndjson)(\.gz)?$/i, '').replace(/[^\w.-]+/g, '_');
  const suffix = object ? `-${object.kind}-${shortId(object.objId)}` : '';
  const extension = EXPORT_EXTENSIONS[format];
  return vscode.window.showSaveDialog({
    title: `NkMEDIA: export ${source.name}`,
    defaultUri: vscode.Uri.file(path.join(defaultFolder(), `${base}${suffix}${extension}`)),
    filters: { [format]: [extension.slice(1)] },
  });
}

function objectKeyOf(node: TreeNode): string | undefined {
  if (node.type === 'object') return node.key;
  if (node.type === 'link') return node.targetKey;
  if (node.type === 'event') return node.objectKey;
  return undefined;
}

function isTreeNode(value: unknown): value is TreeNode {
  return typeof value === 'object' && value !== null && 'type' in value && 'source' in value && 'id' in value;
}

// ---- shared ----

async function askTraceFiles(many: boolean): Promise<vscode.Uri[] | undefined> {
  const extensions = TRACE_EXTENSIONS.map((ext) => ext.slice(1));
  return vscode.window.showOpenDialog({
    title: many ? 'NkMEDIA: open trace files' : 'NkMEDIA: replay which trace?',
    canSelectMany: many,
    defaultUri: vscode.Uri.file(defaultFolder()),
    filters: { 'NkMEDIA traces': [...extensions, 'gz'], 'All files': ['*'] },
  });
}

async function pickSource(deps: TraceCommandDeps, title: string): Promise<Source | undefined> {
  const sources = deps.registry.list();
  if (sources.length <= 1) return sources[0];
  const choice = await vscode.window.showQuickPick(
    sources.map((s) => ({ label: s.name, description: `${s.kind} · ${s.store.size.toLocaleString('en-US')} events`, source: s })),
    { title: `NkMEDIA: ${title}` },
  );
  return choice?.source;
}

function defaultFolder(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
}

/** An AbortSignal that follows a VS Code cancellation token. */
function abortOn(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** Turns (done, total) callbacks into throttled percentage increments on a notification. */
function progressReporter(progress: vscode.Progress<{ message?: string; increment?: number }>): (done: number, total: number) => void {
  let reported = 0;
  let lastReport = 0;
  return (done, total) => {
    const now = Date.now();
    const percent = total > 0 ? Math.min(100, (done / total) * 100) : 0;
    if (now - lastReport < PROGRESS_INTERVAL_MS && percent < 100) return;
    lastReport = now;
    progress.report({ increment: percent - reported, message: `${Math.floor(percent)}%` });
    reported = percent;
  };
}

function reportFailure(deps: TraceCommandDeps, what: string, error: unknown): void {
  if (isCancelled(error)) {
    deps.log.info(`[trace] ${what}: cancelled`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  deps.log.error(`[trace] could not ${what}: ${message}`);
  void vscode.window.showErrorMessage(`NkMEDIA: could not ${what}: ${message}`);
}
