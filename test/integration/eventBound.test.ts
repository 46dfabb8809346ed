// nkmedia.maxEvents bounds what a source keeps: the oldest events go, the newest stay.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { NkMediaSimulator } from '../../src/simulator';
import { activate, NkMediaApi, waitFor } from './helpers';

suite('Event bound', () => {
  let api: NkMediaApi;
  let simulator: NkMediaSimulator;

  suiteSetup(async () => {
    api = await activate();
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
    simulator = new NkMediaSimulator({ port: 0, seed: 21, rate: 2000 });
  });

  suiteTeardown(async () => {
    for (const source of [...api.registry.list()]) await api.registry.remove(source.id);
    await vscode.workspace.getConfiguration('nkmedia').update('maxEvents', undefined, vscode.ConfigurationTarget.Global);
    await simulator.stop();
  });

  test('past nkmedia.maxEvents the oldest events are evicted and the newest kept', async () => {
    await vscode.workspace.getConfiguration('nkmedia').update('maxEvents', 1000, vscode.ConfigurationTarget.Global);
    const { url } = await simulator.start();
    const source = await api.connections.connect({ name: 'bounded', url, user: 'admin', password: 'admin' });
    await waitFor('events to be evicted', () => source.store.evictedCount > 500, 20_000);
    source.store.flush();
    assert.ok(source.store.size <= 1010, `at most the bound (+1%) is kept: ${source.store.size}`);
    assert.strictEqual(source.store.lastSeq - source.store.firstSeq + 1, source.store.size, 'what is kept is the newest, without holes');
    assert.ok(source.store.getEvent(1) === undefined, 'the first event is gone');
    assert.ok(source.store.getEvent(source.store.lastSeq), 'the newest is there');
  });
});
