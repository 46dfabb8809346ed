// "Start Demo Server" / "Stop Demo Server" run from the command palette (executeCommand):
// the embedded simulator must accept a real client's login, then stop listening.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { acceptsConnections, activate, login, NkMediaApi, waitFor } from './helpers';

suite('Demo server', () => {
  let api: NkMediaApi;

  suiteSetup(async () => {
    api = await activate();
  });

  suiteTeardown(async () => {
    if (api?.demo.current) await api.demo.stop();
  });

  test('Start Demo Server listens on loopback and accepts a login', async () => {
    await vscode.commands.executeCommand('nkmedia.startDemoServer');
    const demo = await waitFor('the demo server to run', () => api.demo.current);
    assert.match(demo.url, /^ws:\/\/127\.0\.0\.1:\d+/, 'a loopback ws:// URL');
    assert.ok(demo.port > 0, 'a port');
    const reply = await login(demo.url);
    assert.strictEqual(reply.result, 'ok', `login reply: ${JSON.stringify(reply)}`);
    assert.strictEqual(reply.tid, 1);
  });

  test('the demo server refuses a wrong password', async () => {
    if (!api.demo.current) await vscode.commands.executeCommand('nkmedia.startDemoServer');
    const demo = await waitFor('the demo server to run', () => api.demo.current);
    const reply = await login(demo.url, 'admin', 'not-the-password');
    assert.notStrictEqual(reply.result, 'ok', `login with a wrong password: ${JSON.stringify(reply)}`);
  });

  test('Stop Demo Server closes the port', async () => {
    if (!api.demo.current) await vscode.commands.executeCommand('nkmedia.startDemoServer');
    const { port } = await waitFor('the demo server to run', () => api.demo.current);
    assert.ok(await acceptsConnections(port), 'listening before the stop');
    await vscode.commands.executeCommand('nkmedia.stopDemoServer');
    await waitFor('api.demo.current to clear', () => api.demo.current === undefined);
    await waitFor(`port ${port} to refuse connections`, async () => !(await acceptsConnections(port)), 5_000);
  });
});
