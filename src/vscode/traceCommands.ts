// "NkMEDIA: Save Trace", "Open Trace…" and "Replay Trace": the VS Code side of trace files
// ("Export…" is in exportCommand.ts). The work is in src/trace; this file asks the questions
// (quick picks, file dialogs), shows progress with a Cancel button, and reports.
//
// For tests and scripting every command also takes its answers as arguments and then shows
// no dialog: e.g. executeCommand('nkmedia.openTrace', uri), executeCommand('nkmedia.saveTrace',
// uri, { sourceId, scope }).
import * as path from 'path';
import * as vscode from 'vscode';
import type { EventFilter } from '../core';
import { LiveSource } from '../inspector/liveSource';
import type { Source } from '../inspector/source';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import type { TraceScope } from '../inspector/traceScope';
import { TraceSource } from '../inspector/traceSource';
import { taggedLogger } from '../shared/logger';
import { isCancelled } from '../trace/errors';
import { TRACE_EXTENSIONS } from '../trace/traceFileFormat';
import { loadTrace, MAX_LISTED_INVALID_LINES } from '../trace/loadTrace';
import { TraceReplayer, type ReplaySummary } from '../trace/replay';
import { saveTrace, type SavedTrace, type TraceHeaderFields } from '../trace/saveTrace';
import { readMaxEvents } from './config';
import { exportTraceCommand } from './exportCommand';
import { Commands } from './ids';
import { chooseScope } from './scopePick';
import { abortOn, defaultFolder, progressReporter, reportFailure } from './traceUi';
import type { TreeNode } from './treeNodes';

/** The replay server, like the demo server, listens on loopback only with these credentials. */
const REPLAY_USER = 'admin';
const REPLAY_PASSWORD = 'admin';

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

/** What of a source to save: everything, the filtered objects or the selected ones. */
export type SaveScope = TraceScope;

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

export function registerTraceCommands(deps: TraceCommandDeps): vscode.Disposable[] {
  const replays = new Set<ReplayStarted>();
  return [
    vscode.commands.registerCommand(Commands.openTrace, (uri?: vscode.Uri | vscode.Uri[]) => openTraces(deps, uri)),
    vscode.commands.registerCommand(Commands.saveTrace, (target?: vscode.Uri | TreeNode, args?: SaveTraceArgs) => saveTraceCommand(deps, target, args)),
    vscode.commands.registerCommand(Commands.replayTrace, (uri?: vscode.Uri, args?: ReplayTraceArgs) => replayTraceCommand(deps, replays, uri, args)),
    vscode.commands.registerCommand(Commands.exportTrace, (target?: unknown) =>
      exportTraceCommand({ ...deps, openTraceSource: (uri) => openTraceAsSource(deps, uri, { reuse: true }) }, target),
    ),
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
    reportFailure(deps.log, `open ${name}`, error);
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
  let objectKeys = args.objectKeys;
  if (objectKeys === undefined) {
    const scope = await chooseScope(deps, source, { requested: args.scope, withRelated: false, title: `NkMEDIA: save what of ${source.name}?`, verb: 'save' });
    if (!scope) return undefined;
    objectKeys = scope.objectKeys;
  }
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
    reportFailure(deps.log, `save ${name}`, error);
    return undefined;
  }
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
    reportFailure(deps.log, `replay ${name}`, error);
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
        if (!isCancelled(error)) reportFailure(deps.log, `replay ${name}`, error);
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
