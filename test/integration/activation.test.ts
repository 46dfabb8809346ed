// The extension inside a real VS Code: activation, contributed commands, the view container.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, EXTENSION_ID, waitFor } from './helpers';

suite('Extension', () => {
  test('activates and returns its API', async () => {
    const api = await activate();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, 'extension is active');
    assert.strictEqual(typeof api.demo?.start, 'function', 'api.demo.start');
    assert.strictEqual(typeof api.demo?.stop, 'function', 'api.demo.stop');
  });

  test('registers the connect and demo server commands', async () => {
    await activate();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['nkmedia.connect', 'nkmedia.startDemoServer', 'nkmedia.stopDemoServer']) {
      assert.ok(commands.includes(id), `command ${id} is registered`);
    }
  });

  test('registers every command its manifest contributes', async () => {
    await activate();
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed: { command: string }[] = extension.packageJSON.contributes?.commands ?? [];
    assert.ok(contributed.length > 0, 'the manifest contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], 'contributed commands without a handler ("command not found" in the palette)');
  });

  test('workbench.view.extension.nkmedia shows the NkMEDIA container', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('workbench.view.extension.nkmedia'), 'the NkMEDIA view container is contributed');
    assert.ok(commands.includes('nkmedia.events.focus'), 'the Events view is contributed');
    const api = await activate();
    await vscode.commands.executeCommand('workbench.view.extension.nkmedia');
    await waitFor('the Events view to be visible', () => api.treeView.visible);
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('the Events view to be hidden by the Explorer', () => !api.treeView.visible);
    await vscode.commands.executeCommand('workbench.view.extension.nkmedia');
    await waitFor('the Events view to be visible again', () => api.treeView.visible);
  });
});
