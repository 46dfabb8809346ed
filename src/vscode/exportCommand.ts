// "NkMEDIA: Export…": a source as a Chrome trace, a Mermaid diagram or CSV. Each question says
// what is being exported: which source (the active trace editor's first), which objects (with
// what each scope would write), and the end toast says how much went where.
//
// For tests and scripting it takes its answers as arguments and then asks nothing:
// executeCommand('nkmedia.exportTrace', { sourceId, format, scope, out }) or
// { sourceId, format: 'mermaid', objectKey, out }. Arguments are checked: scripts make typos.
import * as path from 'path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { describeObject, shortId, type ObjectState } from '../core';
import { choiceOf, exportSourceChoices, type SourceChoice } from '../inspector/exportSources';
import type { Source } from '../inspector/source';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import { count, TRACE_SCOPES, type ScopeChoice } from '../inspector/traceScope';
import { TraceSource } from '../inspector/traceSource';
import { EXPORT_EXTENSIONS, EXPORT_FORMATS, writeTraceExport, type ExportFormat } from '../trace/exportTrace';
import { relatedObjectKeys } from '../trace/relatedObjects';
import { AtomicTextFile } from '../trace/textOutput';
import { TRACE_EDITOR_VIEW_TYPE } from './ids';
import { chooseScope, selectedObjectKeys, type ScopeDeps } from './scopePick';
import { abortOn, defaultFolder, isTreeNode, objectKeyOf, progressReporter, reportFailure } from './traceUi';
import type { TreeNode } from './treeNodes';

export interface ExportCommandDeps extends ScopeDeps {
  registry: SourceRegistry;
  log: vscode.LogOutputChannel;
  /** Loads a trace file as a source, or returns the one already open from it. */
  openTraceSource(uri: vscode.Uri): Promise<TraceSource | undefined>;
}

const exportArgsSchema = z.strictObject({
  sourceId: z.string().optional(),
  format: z.enum(EXPORT_FORMATS).optional(),
  /** One object and its related objects; required for mermaid unless one is selected. */
  objectKey: z.string().optional(),
  scope: z.enum(TRACE_SCOPES).optional(),
  out: z.custom<vscode.Uri>((value) => value instanceof vscode.Uri, 'must be a vscode.Uri').optional(),
});
export type ExportTraceArgs = z.infer<typeof exportArgsSchema>;

/** What an export writes: the objects (undefined: all) and, for a diagram, the one it centres on. */
interface ExportObjects {
  objectKeys: string[] | undefined;
  objectKey: string | undefined;
  objects: number;
  /** For the file name: the object, or the scope. */
  suffix: string;
}

export async function exportTraceCommand(deps: ExportCommandDeps, target: unknown): Promise<vscode.Uri | undefined> {
  const node = isTreeNode(target) ? target : undefined;
  const parsed = node ? undefined : exportArgsSchema.safeParse(target ?? {});
  if (parsed && !parsed.success) {
    const problem = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
    void vscode.window.showErrorMessage(`NkMEDIA: Export was given bad arguments (${problem}).`);
    return undefined;
  }
  const args: ExportTraceArgs = parsed?.data ?? {};
  const chosen = await exportedSource(deps, node, args);
  if (!chosen) return undefined;
  const { source, title } = chosen;
  const format = args.format ?? (await askExportFormat(title));
  if (!format) return undefined;
  const objects = await exportedObjects(deps, source, format, node, args, title);
  if (!objects) return undefined;
  const uri = args.out ?? (await askExportLocation(source, format, objects.suffix));
  if (!uri) return undefined;
  return writeExport(deps, source, format, objects, uri);
}

/** The source and the line that names it in every later question. */
async function exportedSource(deps: ExportCommandDeps, node: TreeNode | undefined, args: ExportTraceArgs): Promise<{ source: Source; title: string } | undefined> {
  const active = activeTracePath();
  const named = (source: Source) => ({ source, title: choiceOf(source, isFileOf(source, active) ? active : undefined).title });
  if (node) return named(node.source);
  if (args.sourceId !== undefined) {
    const source = deps.registry.get(args.sourceId);
    if (!source) void vscode.window.showErrorMessage(`NkMEDIA: no open source named "${args.sourceId}".`);
    return source && named(source);
  }
  const choices = exportSourceChoices(deps.registry.list(), active);
  if (choices.length === 0) {
    void vscode.window.showInformationMessage('NkMEDIA: nothing to export: open a trace or connect first.');
    return undefined;
  }
  // One source: no question, but every later one names it (its title).
  let choice: SourceChoice<Source> | undefined = choices[0];
  if (choices.length > 1) {
    const picks = choices.map((c) => ({ label: c.label, description: c.description, choice: c }));
    choice = (await vscode.window.showQuickPick(picks, { title: 'NkMEDIA: export which source?', placeHolder: 'The trace of the active editor comes first' }))?.choice;
  }
  if (!choice) return undefined;
  const source = choice.source ?? (choice.activeEditorPath === undefined ? undefined : await deps.openTraceSource(vscode.Uri.file(choice.activeEditorPath)));
  return source && named(source);
}

/** The file the active editor shows, when it is our trace editor. */
function activeTracePath(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (!(input instanceof vscode.TabInputCustom) || input.viewType !== TRACE_EDITOR_VIEW_TYPE || input.uri.scheme !== 'file') return undefined;
  return input.uri.fsPath;
}

function isFileOf(source: Source, filePath: string | undefined): boolean {
  return filePath !== undefined && source instanceof TraceSource && path.resolve(source.filePath) === path.resolve(filePath);
}

async function exportedObjects(deps: ExportCommandDeps, source: Source, format: ExportFormat, node: TreeNode | undefined, args: ExportTraceArgs, title: string): Promise<ExportObjects | undefined> {
  const { store } = source;
  // One object (from a tree item, or named): with its related objects.
  const one = (key: string): ExportObjects | undefined => {
    const object = store.getObject(key);
    if (!object) {
      void vscode.window.showErrorMessage(`NkMEDIA: ${source.name} has no object ${key}.`);
      return undefined;
    }
    const keys = relatedObjectKeys(store, key);
    return { objectKeys: keys, objectKey: key, objects: keys.length, suffix: `-${object.kind}-${shortId(object.objId)}` };
  };
  const given = args.objectKey ?? (node ? objectKeyOf(node) : undefined);
  if (given !== undefined && args.scope !== undefined && args.scope !== 'selected') {
    void vscode.window.showErrorMessage(`NkMEDIA: Export takes an objectKey or the scope "${args.scope}", not both.`);
    return undefined;
  }
  if (given !== undefined) return one(given);
  if (format === 'mermaid') {
    // A diagram is of one object: the selected one, or ask.
    if (args.scope !== undefined && args.scope !== 'selected') {
      void vscode.window.showErrorMessage(`NkMEDIA: a Mermaid diagram is of one object, not of the scope "${args.scope}": select it, or pass objectKey.`);
      return undefined;
    }
    const key = selectedObjectKeys(deps.treeView, source)[0] ?? (args.scope === undefined ? await pickObject(source) : undefined);
    if (key === undefined && args.scope === 'selected') void vscode.window.showErrorMessage(`NkMEDIA: no object of ${source.name} is selected in the events tree.`);
    return key === undefined ? undefined : one(key);
  }
  const scope = await chooseScope(deps, source, { requested: args.scope, withRelated: true, title: `NkMEDIA: export ${title}`, verb: 'export' });
  return scope && scopeObjects(deps, source, scope);
}

function scopeObjects(deps: ExportCommandDeps, source: Source, scope: ScopeChoice): ExportObjects {
  let suffix = scope.scope === 'filtered' ? '-filtered' : '';
  if (scope.scope === 'selected') {
    const [first, ...others] = selectedObjectKeys(deps.treeView, source);
    const object = first === undefined ? undefined : source.store.getObject(first);
    suffix = object && others.length === 0 ? `-${object.kind}-${shortId(object.objId)}` : '-selected';
  }
  return { objectKeys: scope.objectKeys, objectKey: undefined, objects: scope.objects, suffix };
}

async function writeExport(deps: ExportCommandDeps, source: Source, format: ExportFormat, objects: ExportObjects, uri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const name = path.basename(uri.fsPath);
  const output = new AtomicTextFile(uri.fsPath);
  try {
    const events = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `NkMEDIA: exporting ${name}`, cancellable: true },
      (progress, token) =>
        writeTraceExport(source.store, output, {
          format,
          objectKey: objects.objectKey,
          // A diagram draws its object's relations itself.
          objectKeys: format === 'mermaid' ? undefined : objects.objectKeys,
          title: source.name,
          header: source instanceof TraceSource ? source.header : undefined,
          signal: abortOn(token),
          onProgress: progressReporter(progress),
        }),
    );
    await output.close();
    deps.log.info(`[trace] exported ${events} events of ${objects.objects} objects of ${source.name} as ${format} to ${uri.fsPath}`);
    const actions = format === 'mermaid' ? ['Copy to Clipboard', 'Open', 'Reveal'] : ['Open', 'Reveal'];
    const message = `NkMEDIA: exported ${count(events, 'event')} of ${count(objects.objects, 'object')} from ${source.name} to ${name}.`;
    void vscode.window.showInformationMessage(message, ...actions).then(async (choice) => {
      if (choice === 'Open') await vscode.commands.executeCommand('vscode.open', uri);
      if (choice === 'Reveal') await revealExport(uri);
      if (choice === 'Copy to Clipboard') await vscode.env.clipboard.writeText(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
    });
    return uri;
  } catch (error) {
    await output.abort();
    reportFailure(deps.log, `export ${name}`, error);
    return undefined;
  }
}

/**
 * Shows the file in the system's file manager on desktop; code-server (and remote windows,
 * whose files are not on this machine's disk) has no such thing: the Explorer shows it when it
 * is in the workspace, else a message gives the path.
 */
async function revealExport(uri: vscode.Uri): Promise<void> {
  const local = vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined;
  if (local && (await vscode.commands.getCommands(true)).includes('revealFileInOS')) {
    await vscode.commands.executeCommand('revealFileInOS', uri);
  } else if (vscode.workspace.getWorkspaceFolder(uri)) {
    await vscode.commands.executeCommand('revealInExplorer', uri);
  } else {
    const choice = await vscode.window.showInformationMessage(`NkMEDIA: the export is ${uri.fsPath} (outside the workspace, so the Explorer cannot show it).`, 'Copy Path');
    if (choice) await vscode.env.clipboard.writeText(uri.fsPath);
  }
}

async function askExportFormat(title: string): Promise<ExportFormat | undefined> {
  const labels: Record<ExportFormat, [string, string]> = {
    'chrome-trace': ['$(graph) Chrome Trace (Perfetto)', 'JSON for ui.perfetto.dev and chrome://tracing'],
    mermaid: ['$(type-hierarchy-sub) Mermaid sequence diagram', 'one object and its related objects, for a bug report'],
    csv: ['$(table) CSV', 'one row per event'],
  };
  const choice = await vscode.window.showQuickPick(
    EXPORT_FORMATS.map((format) => ({ label: labels[format][0], detail: labels[format][1], format })),
    { title: `NkMEDIA: export ${title}`, placeHolder: 'Export as which format?' },
  );
  return choice?.format;
}

async function pickObject(source: Source): Promise<string | undefined> {
  const objects = source.store.objects().filter((o) => o.kind !== 'other');
  const picks = objects.slice(0, 5000).map((o: ObjectState) => {
    const { label, description } = describeObject(o);
    return { label: `${o.kind} ${label}`, description: description ?? '', detail: o.objId, key: o.key };
  });
  const choice = await vscode.window.showQuickPick(picks, { title: `NkMEDIA: diagram of which object of ${source.name}?`, matchOnDetail: true, matchOnDescription: true });
  return choice?.key;
}

async function askExportLocation(source: Source, format: ExportFormat, suffix: string): Promise<vscode.Uri | undefined> {
  const base = source.name.replace(/\.(nkmtrace|jsonl|ndjson)(\.gz)?$/i, '').replace(/[^\w.-]+/g, '_');
  const extension = EXPORT_EXTENSIONS[format];
  return vscode.window.showSaveDialog({
    title: `NkMEDIA: export ${source.name}`,
    defaultUri: vscode.Uri.file(path.join(defaultFolder(), `${base}${suffix}${extension}`)),
    filters: { [format]: [extension.slice(1)] },
  });
}
