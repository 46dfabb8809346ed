// Connecting and disconnecting: "NkMEDIA: Connect…" picks a configured server (setting
// `nkmedia.connections`), the running demo server, or a URL typed in; asks for the user and,
// once, the password (then kept in SecretStorage per URL and user). A server named in
// workspace settings, and TLS off, are confirmed first (trustPrompt.ts): nothing is read or
// sent before that.
import * as vscode from 'vscode';
import { LiveSource } from '../inspector/liveSource';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import type { Subscription } from '../protocol/frames';
import type { Logger } from '../shared/logger';
import { readConnectionList, readEndCodes, readMaxEvents, readSubscriptions, type ConnectionEntry } from './config';
import { findConnection, type SettingOrigin } from '../inspector/connectionSettings';
import { shown } from '../inspector/connectionTrust';
import type { DialectSetting } from '../protocol/dialects';
import type { DemoServer } from './demoServer';
import { PasswordStore } from './passwords';
import type { ConnectionTrust } from './trustPrompt';

export interface ConnectRequest {
  name: string;
  url: string;
  user: string;
  /** Given for the demo server and by tests; otherwise read from SecretStorage or asked. */
  password?: string;
  passwordEnv?: string;
  subscriptions?: Subscription[];
  loginSubclass?: boolean;
  tls?: { caFile?: string; rejectUnauthorized?: boolean };
  /** The server's era (default `auto`). */
  dialect?: DialectSetting;
  /** Where the entry came from; absent: the user typed it, or code (the demo, a test) gave it. */
  origin?: SettingOrigin;
}

/** The user answered Cancel to a trust question: not a failure, so no error notification. */
export class ConnectionDeclined extends Error {}

export class ConnectionManager {
  constructor(
    private readonly registry: SourceRegistry,
    private readonly passwords: PasswordStore,
    private readonly demo: DemoServer,
    private readonly logger: Logger,
    /** The trust questions and their remembered answers. */
    readonly trust: ConnectionTrust,
  ) {}

  liveSources(): LiveSource[] {
    return this.registry.list().filter((s): s is LiveSource => s instanceof LiveSource);
  }

  /**
   * The interactive flow behind "NkMEDIA: Connect…"; with `name` (a keybinding's argument)
   * the entry of nkmedia.connections of that name, the user's own before the workspace's.
   * Returns undefined when the user cancels.
   */
  async connectInteractively(name?: string): Promise<LiveSource | undefined> {
    const request = name === undefined ? await this.pickTarget() : this.namedTarget(name);
    if (!request) return undefined;
    return this.connectWithFeedback(request);
  }

  /** Connects, reporting failure as a notification (with a "Show Log" action) instead of throwing. */
  async connectWithFeedback(request: ConnectRequest): Promise<LiveSource | undefined> {
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `NkMEDIA: connecting to ${request.name}` },
        () => this.connect(request),
      );
    } catch (error) {
      if (error instanceof ConnectionDeclined) {
        this.logger.info(error.message);
        return undefined;
      }
      const message = (error as Error).message;
      this.logger.error(`connection to ${request.name} failed: ${message}`);
      void vscode.window.showErrorMessage(`NkMEDIA: could not connect to ${request.name}: ${message}`);
      return undefined;
    }
  }

  /** Connects and adds the source; throws the client's clear error when it cannot. */
  async connect(request: ConnectRequest): Promise<LiveSource> {
    // Before anything is read (a passwordEnv, a CA file) or sent.
    const userEntries = readConnectionList().entries.filter((e) => e.origin === 'user');
    if (!(await this.trust.confirm({ ...request, origin: request.origin ?? 'user' }, userEntries))) {
      throw new ConnectionDeclined(`did not connect to ${shown(request.name)} (${shown(request.url)}): not confirmed`);
    }
    const password = await this.resolvePassword(request);
    const tls = request.tls;
    if (tls?.rejectUnauthorized === false) {
      void vscode.window.showWarningMessage(`NkMEDIA: TLS certificate checks are OFF for ${request.name} (${request.url}). Only do this for a server you trust.`);
    }
    const source = new LiveSource({
      id: this.registry.uniqueId(request.name),
      name: request.name,
      maxEvents: readMaxEvents(),
      endCodes: readEndCodes(),
      logger: this.logger,
      client: {
        url: request.url,
        user: request.user,
        password,
        dialect: request.dialect ?? 'auto',
        subscriptions: request.subscriptions ?? readSubscriptions(),
        loginSubclass: request.loginSubclass,
        tls,
      },
    });
    this.registry.add(source);
    try {
      await source.connect();
    } catch (error) {
      await this.registry.remove(source.id);
      throw error;
    }
    // Only a password that worked is remembered.
    if (request.password === undefined && !request.passwordEnv) await this.passwords.store(request.url, request.user, password);
    // The client logs "connected to …" itself, on every connection (a second line here doubled it).
    return source;
  }

  async disconnect(source: LiveSource): Promise<void> {
    await source.disconnect();
    this.logger.info(`disconnected from ${source.url}`);
  }

  /** Disconnects and removes the source from the tree. */
  async close(sourceId: string): Promise<void> {
    await this.registry.remove(sourceId);
  }

  private async resolvePassword(request: ConnectRequest): Promise<string> {
    if (request.password !== undefined) return request.password;
    if (request.passwordEnv) {
      const value = process.env[request.passwordEnv];
      if (value === undefined) throw new Error(`environment variable ${request.passwordEnv} (passwordEnv of ${request.name}) is not set`);
      return value;
    }
    const stored = await this.passwords.get(request.url, request.user);
    if (stored !== undefined) return stored;
    const typed = await vscode.window.showInputBox({
      title: `NkMEDIA: password for ${request.user} at ${request.url}`,
      prompt: 'Kept in VS Code secret storage for this URL and user once the login works.',
      password: true,
      ignoreFocusOut: true,
    });
    if (typed === undefined) throw new Error('no password given');
    return typed;
  }

  private namedTarget(name: string): ConnectRequest | undefined {
    const list = readConnectionList();
    const entry = findConnection(list, name);
    if (entry) return fromSetting(entry);
    const why = list.ignoredUntrusted > 0 ? ' (servers from workspace settings are ignored: the workspace is not trusted)' : '';
    void vscode.window.showErrorMessage(`NkMEDIA: no server named "${shown(name)}" in nkmedia.connections${why}`);
    return undefined;
  }

  private async pickTarget(): Promise<ConnectRequest | undefined> {
    type Pick = vscode.QuickPickItem & { request?: ConnectRequest; other?: true; startDemo?: true };
    const picks: Pick[] = [];
    const demo = this.demo.current;
    if (demo) {
      picks.push({ label: '$(vm) Demo server', description: demo.url, request: { name: 'demo', url: demo.url, user: demo.user, password: demo.password } });
    } else {
      picks.push({ label: '$(play-circle) Start the demo server and connect', description: 'embedded NkMEDIA simulator', startDemo: true });
    }
    const list = readConnectionList();
    for (const c of list.entries) {
      const fromWorkspace = c.origin !== 'user';
      picks.push({
        label: `$(${fromWorkspace ? 'repo' : 'server'}) ${shown(c.name)}`,
        description: `${shown(c.user)} @ ${shown(c.url)}${fromWorkspace ? ' · from workspace settings' : ''}`,
        request: fromSetting(c),
      });
    }
    if (list.ignoredUntrusted > 0) {
      picks.push({ label: `${list.ignoredUntrusted} from workspace settings not shown: the workspace is not trusted`, kind: vscode.QuickPickItemKind.Separator });
    }
    picks.push({ label: '$(edit) Other server…', description: 'type a ws:// or wss:// URL', other: true });
    const choice = await vscode.window.showQuickPick(picks, { title: 'NkMEDIA: Connect to…', placeHolder: 'a server from nkmedia.connections, the demo server, or another URL' });
    if (!choice) return undefined;
    if (choice.request) return choice.request;
    if (choice.startDemo) {
      const running = await this.demo.start();
      return { name: 'demo', url: running.url, user: running.user, password: running.password };
    }
    const url = await vscode.window.showInputBox({
      title: 'NkMEDIA: server URL',
      value: 'wss://localhost:9010',
      validateInput: (v) => (/^wss?:\/\/[^\s/]+/.test(v.trim()) ? undefined : 'a ws:// or wss:// URL, e.g. wss://media.example.com:9010'),
      ignoreFocusOut: true,
    });
    if (!url) return undefined;
    const user = await vscode.window.showInputBox({ title: `NkMEDIA: user at ${url}`, value: 'admin', ignoreFocusOut: true });
    if (!user) return undefined;
    return { name: new URL(url.trim()).host, url: url.trim(), user };
  }
}

function fromSetting(c: ConnectionEntry): ConnectRequest {
  return {
    name: c.name,
    url: c.url,
    user: c.user,
    passwordEnv: c.passwordEnv,
    subscriptions: c.subscriptions,
    loginSubclass: c.loginSubclass,
    tls: c.tls,
    dialect: c.dialect,
    origin: c.origin,
  };
}
