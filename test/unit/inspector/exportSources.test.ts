// Which sources "Export…" offers, in which order, and how each is named: the user must see
// which trace or connection an export is of.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { exportSourceChoices, type ExportableSource } from '../../../src/inspector/exportSources';

const live: ExportableSource = { id: 'demo', name: 'demo', kind: 'live', url: 'ws://127.0.0.1:9010', store: { size: 12_345 } };
const night: ExportableSource = { id: 'night.nkmtrace', name: 'night.nkmtrace', kind: 'trace', filePath: '/traces/night.nkmtrace', store: { size: 27 } };
const day: ExportableSource = { id: 'day.nkmtrace', name: 'day.nkmtrace', kind: 'trace', filePath: '/traces/day.nkmtrace', store: { size: 1 } };

describe('Export: the sources offered', { timeout: 10_000 }, () => {
  test('a live source names its server and its event count', () => {
    const [choice] = exportSourceChoices([live], undefined);
    assert.equal(choice.label, '$(plug) Live: demo');
    assert.equal(choice.description, 'ws://127.0.0.1:9010 · 12,345 events');
    assert.equal(choice.title, 'Live: demo · ws://127.0.0.1:9010 · 12,345 events');
    assert.equal(choice.source, live);
  });

  test("the active trace editor's trace comes first, marked, before sources opened earlier", () => {
    const choices = exportSourceChoices([live, day, night], '/traces/night.nkmtrace');
    assert.deepEqual(choices.map((c) => c.source?.id), ['night.nkmtrace', 'demo', 'day.nkmtrace']);
    assert.equal(choices[0].label, '$(file) Trace: night.nkmtrace');
    assert.equal(choices[0].description, 'active editor · 27 events');
    assert.equal(choices[0].activeEditorPath, '/traces/night.nkmtrace');
    assert.equal(choices[2].description, '1 event', 'another trace is not marked');
  });

  test('the same file reached by another spelling of its path is still the active one', () => {
    const choices = exportSourceChoices([live, night], '/traces/../traces/night.nkmtrace');
    assert.equal(choices[0].source, night);
    assert.equal(choices.length, 2);
  });

  test("the active editor's trace is offered before it is loaded, and says it loads when picked", () => {
    const choices = exportSourceChoices([live], '/traces/night.nkmtrace');
    assert.equal(choices.length, 2);
    assert.equal(choices[0].source, undefined);
    assert.equal(choices[0].activeEditorPath, '/traces/night.nkmtrace');
    assert.equal(choices[0].label, '$(file) Trace: night.nkmtrace');
    assert.equal(choices[0].description, 'active editor · loads when picked');
    assert.equal(choices[1].source, live);
  });

  test('with no active trace editor the tree order is kept, and nothing is offered when nothing is open', () => {
    assert.deepEqual(exportSourceChoices([day, live], undefined).map((c) => c.source?.id), ['day.nkmtrace', 'demo']);
    assert.deepEqual(exportSourceChoices([], undefined), []);
  });
});
