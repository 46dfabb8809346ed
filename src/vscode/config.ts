// Typed reads of the `nkmedia.*` settings. Passwords are never settings: they live in
// SecretStorage (see passwords.ts) or come from an environment variable.
import * as vscode from 'vscode';
import { Settings } from './ids';
import type { Subscription } from '../protocol/frames';
import { DEFAULT_SUBSCRIPTIONS } from '../protocol/clientOptions';
import { isDialectId, type DialectId, type EndCodeOverrides } from '../protocol/dialects';
import { listConnections, type ConnectionList } from '../inspector/connectionSettings';
import { DEFAULT_FAULT_RATE } from '../simulator/traffic';

export type { ConnectionEntry, ConnectionSetting } from '../inspector/connectionSettings';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(Settings.section);
}

/**
 * `nkmedia.connections` of every settings layer, each entry with its origin (read through
 * `inspect()`, since `get()` hides which file a value came from). In Restricted Mode the
 * workspace's entries are left out, as `restrictedConfigurations` in package.json says.
 */
export function readConnectionList(): ConnectionList {
  const layers = section().inspect<unknown>(Settings.connections);
  return listConnections(
    { user: layers?.globalValue, workspace: layers?.workspaceValue, workspaceFolder: layers?.workspaceFolderValue },
    { trusted: vscode.workspace.isTrusted },
  );
}

/** `nkmedia.endCodes`: lists of codes (numbers) or reason texts; anything else is ignored. */
export function readEndCodes(): EndCodeOverrides {
  const value = section().get<unknown>(Settings.endCodes, {});
  if (typeof value !== 'object' || value === null) return {};
  const overrides: EndCodeOverrides = {};
  for (const verdict of ['normal', 'declined', 'fault'] as const) {
    const list = (value as Record<string, unknown>)[verdict];
    if (Array.isArray(list)) overrides[verdict] = list.filter((v): v is number | string => typeof v === 'number' || typeof v === 'string');
  }
  return overrides;
}

export function readSubscriptions(): Subscription[] {
  const value = section().get<unknown>(Settings.subscriptions);
  if (!Array.isArray(value) || value.length === 0) return DEFAULT_SUBSCRIPTIONS.map((sub) => ({ ...sub }));
  return value.filter((s): s is Subscription => typeof s === 'object' && s !== null && typeof s.class === 'string');
}

export function readMaxEvents(): number {
  const value = section().get<number>(Settings.maxEvents, 1_000_000);
  return Number.isFinite(value) && value >= 1000 ? Math.floor(value) : 1_000_000;
}

export interface DemoSettings {
  rate: number;
  seed: number;
  /** Share of objects that end in a fault, 0 to 1 (`nkmedia.demo.faultRate`). */
  faultRate: number;
  pingSeconds: number;
  /** The era the demo server speaks (`nkmedia.demo.dialect`); anything else means 2016-08. */
  dialect: DialectId;
  autoConnect: boolean;
}

export function readDemoSettings(): DemoSettings {
  const s = section();
  return {
    rate: Math.max(1, s.get<number>(Settings.demoRate, 20)),
    seed: s.get<number>(Settings.demoSeed, 1),
    faultRate: readFaultRate(s.get<unknown>(Settings.demoFaultRate)),
    pingSeconds: Math.max(0, s.get<number>(Settings.demoPingSeconds, 5)),
    dialect: readDialectId(s.get<unknown>(Settings.demoDialect)),
    autoConnect: s.get<boolean>(Settings.autoConnectDemo, true),
  };
}

/** A share outside 0..1 (or not a number) in settings.json falls back to the simulator's default. */
function readFaultRate(value: unknown): number {
  return typeof value === 'number' && value >= 0 && value <= 1 ? value : DEFAULT_FAULT_RATE;
}

/** The demo dialect, checked: a value no era has (a typo in settings.json) falls back to the default. */
function readDialectId(value: unknown): DialectId {
  return isDialectId(value) ? value : '2016-08';
}
