// The manifest and the code name the same commands, views and settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { Commands, Settings, Views } from '../../../src/vscode/ids';
import { DIALECT_IDS } from '../../../src/protocol/dialects';
import { DEFAULT_SIMULATOR_DIALECT } from '../../../src/simulator/eras';

const manifest = JSON.parse(fs.readFileSync(require.resolve(process.cwd() + '/package.json'), 'utf8') /* tests run from the repository root */);
const contributed = new Map<string, any>(manifest.contributes.commands.map((c: any) => [c.command, c]));

test('every command the code registers is contributed with the NkMEDIA category and an icon', () => {
  for (const id of Object.values(Commands)) {
    const command = contributed.get(id);
    assert.ok(command, `${id} is not in package.json`);
    assert.equal(command.category, 'NkMEDIA', `${id} category`);
    assert.match(command.icon, /^\$\([a-z-]+\)$/, `${id} icon`);
  }
});

test('every contributed command is one the code knows', () => {
  const known = new Set<string>(Object.values(Commands));
  for (const id of contributed.keys()) assert.ok(known.has(id), `${id} is contributed but not in ids.ts`);
});

test('commands used in menus and welcome buttons exist', () => {
  const used = new Set<string>();
  for (const entries of Object.values<any[]>(manifest.contributes.menus)) for (const e of entries) used.add(e.command);
  for (const welcome of manifest.contributes.viewsWelcome) for (const m of welcome.contents.matchAll(/command:([\w.]+)/g)) used.add(m[1]);
  for (const id of used) assert.ok(contributed.has(id), `${id} is used in a menu or welcome view but not contributed`);
});

test('the view and its container are contributed, and activation is lazy', () => {
  assert.ok(manifest.contributes.viewsContainers.activitybar.some((c: any) => c.id === Views.container && c.title === 'NkMEDIA'));
  assert.ok(manifest.contributes.views[Views.container].some((v: any) => v.id === Views.events));
  assert.ok(!manifest.activationEvents.includes('*'));
});

test('settings read by the code are declared', () => {
  const declared = Object.keys(manifest.contributes.configuration.properties);
  for (const [name, key] of Object.entries(Settings)) {
    if (name === 'section') continue;
    assert.ok(declared.includes(`nkmedia.${key}`), `nkmedia.${key} is not declared`);
  }
});

test('nkmedia.demo.dialect offers every dialect id, 2016-08 by default', () => {
  const setting = manifest.contributes.configuration.properties['nkmedia.demo.dialect'];
  assert.deepEqual(setting.enum, [...DIALECT_IDS]);
  assert.equal(setting.default, DEFAULT_SIMULATOR_DIALECT);
  assert.equal(setting.enumDescriptions.length, DIALECT_IDS.length);
});

test('@types/vscode is pinned to the engines minimum, no newer than 1.139', () => {
  const engine = manifest.engines.vscode.replace(/^\^/, '');
  assert.equal(manifest.devDependencies['@types/vscode'], engine);
  const [major, minor] = engine.split('.').map(Number);
  assert.ok(major === 1 && minor <= 139);
});

/** Property names that send something somewhere or decide whom to trust. */
const TRUST_FIELDS = /^(url|.*Url|passwordEnv|password.*|caFile|rejectUnauthorized|tls)$/;
function namesTrustField(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const { properties, items } = schema as { properties?: Record<string, unknown>; items?: unknown };
  if (properties && Object.entries(properties).some(([key, value]) => TRUST_FIELDS.test(key) || namesTrustField(value))) return true;
  return namesTrustField(items);
}

test('in Restricted Mode every setting naming a URL, a password source, a CA file or a TLS switch is ignored', () => {
  const capability = manifest.capabilities?.untrustedWorkspaces;
  assert.equal(capability?.supported, 'limited');
  assert.ok(typeof capability.description === 'string' && capability.description.length > 20, 'it says what Restricted Mode leaves out');
  const properties: Record<string, unknown> = manifest.contributes.configuration.properties;
  const sensitive = Object.entries(properties)
    .filter(([key, schema]) => TRUST_FIELDS.test(key.split('.').at(-1) ?? '') || namesTrustField(schema))
    .map(([key]) => key);
  assert.ok(sensitive.includes('nkmedia.connections'), 'the check finds the connections setting');
  assert.deepEqual([...capability.restrictedConfigurations].sort(), sensitive.sort());
});
