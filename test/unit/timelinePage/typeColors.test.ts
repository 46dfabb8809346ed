import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colorRoleOf } from '../../../src/webview/timelinePage/theme/typeColors';

test('timeline colours follow what a type means in its era, not its name', () => {
  // Aug 2016 `stop`, Oct 2016 `destroyed` and a call's `hangup` all end their object.
  assert.equal(colorRoleOf({ effect: 'ended', known: true }), 'end');
  assert.equal(colorRoleOf({ effect: 'memberJoined', known: true }), 'join', 'started_publisher and started_member alike');
  assert.equal(colorRoleOf({ effect: 'created', known: true }), 'start', 'started (Aug 2016) and created (Oct 2016) alike');
  assert.equal(colorRoleOf({ effect: 'none', known: true }), 'other');
  assert.equal(colorRoleOf({ known: false }), 'unknown');
});
