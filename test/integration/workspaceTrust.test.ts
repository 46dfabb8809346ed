// Untrusted workspaces: a repository's .vscode/settings.json can name a server of its own and a
// `passwordEnv` naming any variable. Connecting to it must first show the URL and where it came
// from, and the variable must not be read unless the user confirms. code-server's modal dialog
// cannot be answered from the extension host, so these tests answer through the one seam
// `api.connections.trust.ask` (what the dialog would have shown is recorded and checked).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { NkMediaSimulator } from '../../src/simulator';
import type { TrustQuestion } from '../../src/inspector/connectionTrust';
import type { LiveSource } from '../../src/inspector/liveSource';
import { activate, NkMediaApi } from './helpers';

const SECRET = `nkm-secret-${process.pid}-${Date.now()}`;
const VARIABLE = 'NKM_TEST_SECRET';
const OTHER_VARIABLE = 'NKM_TEST_OTHER_SECRET';

suite('Workspace trust', () => {
  let api: NkMediaApi;
  let simulator: NkMediaSimulator;
  let url: string;
  // What the server saw: it accepts a login only with SECRET as the password.
  let connections = 0;
  let logins = 0;
  const listeners: vscode.Disposable[] = [];

  const settings = () => vscode.workspace.getConfiguration('nkmedia');
  const setConnections = (value: unknown[] | undefined, target: vscode.ConfigurationTarget) => settings().update('connections', value, target);
  const connect = (name: string) => vscode.commands.executeCommand<LiveSource | undefined>('nkmedia.connect', name);

  /** Answers every trust question with `answer` and records it; restores the real dialog after `body`. */
  async function answering(answer: boolean, body: (asked: TrustQuestion[]) => Promise<void>): Promise<void> {
    const trust = api.connections.trust;
    const original = trust.ask;
    const asked: TrustQuestion[] = [];
    trust.ask = async (question) => {
      asked.push(question);
      return answer;
    };
    try {
      await body(asked);
    } finally {
      trust.ask = original;
    }
  }

  async function cleanUp(): Promise<void> {
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
    await setConnections(undefined, vscode.ConfigurationTarget.Workspace);
    await setConnections(undefined, vscode.ConfigurationTarget.Global);
    await api.connections.trust.forget();
  }

  suiteSetup(async () => {
    api = await activate();
    simulator = new NkMediaSimulator({ port: 0, seed: 31, rate: 5, password: SECRET });
    ({ url } = await simulator.start());
    listeners.push(simulator.server.onDidConnect(() => connections++), simulator.server.onDidLogin(() => logins++));
    // The extension host's environment, as a user's shell would have it.
    process.env[VARIABLE] = SECRET;
    process.env[OTHER_VARIABLE] = SECRET;
  });

  suiteTeardown(async () => {
    delete process.env[VARIABLE];
    delete process.env[OTHER_VARIABLE];
    for (const listener of listeners) listener.dispose();
    try {
      await cleanUp();
    } finally {
      await simulator.stop();
    }
  });

  test('a workspace entry naming a variable: Cancel, and the server never sees a connection', async () => {
    try {
      await setConnections([{ name: 'repo server', url, user: 'admin', passwordEnv: VARIABLE }], vscode.ConfigurationTarget.Workspace);
      const seen = connections;
      await answering(false, async (asked) => {
        const source = await connect('repo server');
        // Not strictEqual: an AssertionError would print the whole source (its store) and stall the host.
        assert.ok(source === undefined, `connected to ${source?.url} without a confirmation`);
        assert.strictEqual(asked.length, 1, 'the user was asked before the login');
        assert.match(asked[0].message, /"repo server", a server named in the workspace settings\?/);
        assert.match(asked[0].detail, /From: the workspace settings \(.*settings\.json\)/);
        assert.ok(asked[0].detail.includes(`URL: ${url}`), asked[0].detail);
        assert.match(asked[0].detail, new RegExp(`environment variable ${VARIABLE}, which your user settings do not name`));
      });
      // The command resolves only after a connection attempt would have ended, so this is no race.
      assert.strictEqual(connections - seen, 0, 'the server got no connection, so never the secret');
      assert.strictEqual(api.registry.list().length, 0, 'no source was added');
    } finally {
      await cleanUp();
    }
  }).timeout(20_000);

  test('after Connect the variable is sent; the answer is remembered until forgotten or a setting behind it changes', async () => {
    try {
      const entry = { name: 'repo server', url, user: 'admin', passwordEnv: VARIABLE };
      await setConnections([entry], vscode.ConfigurationTarget.Workspace);
      const loggedIn = logins;
      await answering(true, async (asked) => {
        const source = await connect('repo server');
        assert.ok(source, 'connected');
        assert.strictEqual(source.status.kind, 'connected');
        assert.strictEqual(asked.length, 1, 'asked once, before the first login');
        assert.strictEqual(logins - loggedIn, 1, 'the server accepted the login: it got the secret');
        await api.connections.close(source.id);
        const again = await connect('repo server');
        assert.ok(again, 'connected again');
        assert.strictEqual(asked.length, 1, 'not asked a second time');
        await api.connections.close(again.id);
        await vscode.commands.executeCommand('nkmedia.forgetConfirmedServers');
        const afterForget = await connect('repo server');
        assert.ok(afterForget, 'connected after a new Connect');
        assert.strictEqual(asked.length, 2, 'Forget Confirmed Servers: asked again');
        await api.connections.close(afterForget.id);
      });
      // The repository now points the same URL at another variable: that is a new question.
      await setConnections([{ ...entry, passwordEnv: OTHER_VARIABLE }], vscode.ConfigurationTarget.Workspace);
      const seen = connections;
      await answering(false, async (asked) => {
        const source = await connect('repo server');
        assert.ok(source === undefined, `connected to ${source?.url} without a confirmation`);
        assert.strictEqual(asked.length, 1, 'asked about the new variable');
        assert.match(asked[0].detail, new RegExp(OTHER_VARIABLE));
      });
      assert.strictEqual(connections - seen, 0, 'the declined entry made no connection');
    } finally {
      await cleanUp();
    }
  }).timeout(20_000);

  test("the user's own entry naming a variable connects without a question", async () => {
    try {
      await setConnections([{ name: 'my server', url, user: 'admin', passwordEnv: VARIABLE }], vscode.ConfigurationTarget.Global);
      const loggedIn = logins;
      await answering(false, async (asked) => {
        const source = await connect('my server');
        assert.ok(source, 'connected');
        assert.strictEqual(asked.length, 0, 'nothing to confirm');
        assert.strictEqual(logins - loggedIn, 1);
      });
    } finally {
      await cleanUp();
    }
  }).timeout(20_000);

  test('TLS checks off need a confirmation even in user settings; Cancel connects nothing', async () => {
    try {
      await setConnections([{ name: 'lab', url, user: 'admin', passwordEnv: VARIABLE, tls: { rejectUnauthorized: false } }], vscode.ConfigurationTarget.Global);
      const seen = connections;
      await answering(false, async (asked) => {
        const source = await connect('lab');
        assert.ok(source === undefined, `connected to ${source?.url} with TLS off, unconfirmed`);
        assert.strictEqual(asked.length, 1, 'asked before the login');
        assert.match(asked[0].message, /"lab" with TLS certificate checks OFF/);
        assert.match(asked[0].detail, /From: your user settings/);
      });
      assert.strictEqual(connections - seen, 0);
    } finally {
      await cleanUp();
    }
  }).timeout(20_000);
});
