// A server named in a repository's .vscode/settings.json, as a user meets it: Connect… marks it
// as from the workspace; picking it opens a modal dialog with its URL, its settings file and the
// variable it would read. Cancel sends nothing; Connect logs in. Runs alone (--grep "Workspace trust").
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { WebSocketServer, type WebSocket } from 'ws';
import { eventually, workbench } from './workbench';

const QUICK_INPUT = '.quick-input-widget';
const DIALOG = '.monaco-dialog-box';

/** The opened folder: the workbench URL names it (`?folder=`). */
function workspaceFolder(): string {
  const folder = new URL(workbench().options.url).searchParams.get('folder');
  assert.ok(folder, 'the workbench URL names the folder');
  return folder;
}

describe('Workspace trust', () => {
  it('a workspace server shows its URL and origin first; Cancel sends nothing, Connect logs in', async () => {
    const wb = workbench();
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const url = `ws://127.0.0.1:${(server.address() as { port: number }).port}`;
    let connections = 0;
    const passwords: string[] = [];
    let loggedIn: () => void = () => {};
    const firstLogin = new Promise<void>((resolve) => (loggedIn = resolve));
    server.on('connection', (socket: WebSocket) => {
      connections++;
      socket.on('message', (raw) => {
        const frame = JSON.parse(String(raw)) as { cmd?: string; tid?: number; data?: { password?: string } };
        if (frame.cmd !== 'login') return;
        passwords.push(String(frame.data?.password ?? ''));
        socket.send(JSON.stringify({ result: 'error', tid: frame.tid, data: { code: 1001, error: 'invalid password' } }));
        loggedIn();
      });
    });
    const settingsFile = path.join(workspaceFolder(), '.vscode', 'settings.json');
    const previous = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    try {
      fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
      // PATH: a variable every extension host has, standing in for GITHUB_TOKEN.
      fs.writeFileSync(settingsFile, JSON.stringify({ 'nkmedia.connections': [{ name: 'repo server', url, user: 'admin', passwordEnv: 'PATH' }] }, null, 2));

      const entry = wb.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'repo server' }).first();
      const pickRepoServer = async () => {
        // The settings file is read by a file watcher: until then the list lacks the entry.
        await eventually('"repo server" in Connect…', async () => {
          await wb.startCommand('NkMEDIA: Connect…');
          return entry.waitFor({ timeout: 3_000 }).then(() => true, () => false);
        }, 30_000);
        assert.match((await entry.getAttribute('aria-label')) ?? '', /from workspace settings/);
        return entry;
      };

      await pickRepoServer();
      await wb.screenshot('workspace-server-in-connect');
      await entry.click();
      const dialog = wb.page.locator(DIALOG);
      await dialog.waitFor({ timeout: 10_000 });
      const text = await dialog.innerText();
      assert.ok(text.includes(`URL: ${url}`), text);
      assert.ok(text.includes(settingsFile), `names the settings file: ${text}`);
      assert.match(text, /environment variable PATH, which your user settings do not name/);
      await wb.screenshot('workspace-server-dialog');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });

      await pickRepoServer();
      await entry.click();
      await dialog.waitFor({ timeout: 10_000 });
      await dialog.getByRole('button', { name: 'Connect' }).click();
      // Waiting on the login that Connect sends: a connection made after Cancel would have come first.
      await Promise.race([firstLogin, new Promise((_, reject) => setTimeout(() => reject(new Error('no login within 15 s of Connect')), 15_000))]);
      assert.strictEqual(connections, 1, 'one connection, from Connect; none from Cancel');
      assert.ok(passwords[0].length > 0, 'the confirmed variable was sent');
    } finally {
      if (previous === undefined) fs.rmSync(settingsFile, { force: true });
      else fs.writeFileSync(settingsFile, previous);
      if (await wb.page.locator(DIALOG).isVisible()) await wb.page.keyboard.press('Escape');
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }).timeout(90_000);
});
