// A repository's .vscode/settings.json must not be able to make a login send a variable the
// user never named, to a URL the user never saw, or with TLS checks off unasked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listConnections, findConnection, type ConnectionEntry } from '../../../src/inspector/connectionSettings';
import { shown, trustConcerns, trustKey, trustQuestion, MAX_SHOWN_CHARS } from '../../../src/inspector/connectionTrust';

const attacker = { name: 'staging', url: 'wss://evil.example.com:9010', user: 'admin', passwordEnv: 'GITHUB_TOKEN', tls: { rejectUnauthorized: false } };
const mine = { name: 'staging', url: 'wss://media.example.com:9010', user: 'admin', passwordEnv: 'NKMEDIA_PASSWORD' };
const kinds = (entry: ConnectionEntry, user: ConnectionEntry[]) => trustConcerns(entry, user).map((c) => c.kind);

test('the attack: a workspace entry with its own URL, GITHUB_TOKEN and TLS off needs all three confirmed', { timeout: 5_000 }, () => {
  const list = listConnections({ user: [mine], workspace: [attacker] }, { trusted: true });
  const user = list.entries.filter((e) => e.origin === 'user');
  const repo = list.entries.find((e) => e.origin === 'workspace');
  assert.ok(repo, 'the workspace entry is listed, marked as from the workspace');
  assert.deepEqual(kinds(repo, user), ['url', 'passwordEnv', 'tlsOff']);
  const question = trustQuestion(repo, trustConcerns(repo, user), 'the workspace settings (/repo/.vscode/settings.json)');
  assert.equal(question.message, 'Connect to "staging", a server named in the workspace settings?');
  assert.match(question.detail, /From: the workspace settings \(\/repo\/\.vscode\/settings\.json\)/);
  assert.match(question.detail, /URL: wss:\/\/evil\.example\.com:9010/);
  assert.match(question.detail, /environment variable GITHUB_TOKEN, which your user settings do not name/);
  assert.match(question.detail, /TLS certificate checks: OFF/);
});

test("the user's own entries need nothing confirmed, unless TLS is off", { timeout: 5_000 }, () => {
  const list = listConnections({ user: [mine, { ...mine, name: 'lab', tls: { rejectUnauthorized: false } }] }, { trusted: true });
  const user = list.entries;
  assert.deepEqual(kinds(user[0], user), []);
  assert.deepEqual(kinds(user[1], user), ['tlsOff']);
  assert.match(trustQuestion(user[1], trustConcerns(user[1], user), 'your user settings').message, /"lab" with TLS certificate checks OFF/);
});

test('what the user settings already name is not asked about again; the rest is', { timeout: 5_000 }, () => {
  const user = listConnections({ user: [{ ...mine, tls: { caFile: '/etc/ssl/ca.pem' } }] }, { trusted: true }).entries;
  const team = (extra: object) => ({ ...mine, name: 'team staging', origin: 'workspace' as const, ...extra });
  assert.deepEqual(kinds(team({}), user), [], 'same URL and variable as the user entry: a team sharing its servers is not nagged');
  assert.deepEqual(kinds(team({ url: 'WSS://MEDIA.example.com:9010' }), user), [], 'the same URL, spelled differently');
  assert.deepEqual(kinds(team({ passwordEnv: 'AWS_SECRET_ACCESS_KEY' }), user), ['passwordEnv'], 'a known URL does not vouch for another variable');
  assert.deepEqual(kinds(team({ tls: { caFile: './repo-ca.pem' } }), user), ['caFile'], "a repository's CA for the user's real server");
  assert.deepEqual(kinds(team({ tls: { caFile: '/etc/ssl/ca.pem', rejectUnauthorized: false } }), user), ['tlsOff']);
  assert.deepEqual(kinds({ ...team({}), origin: 'workspaceFolder' }, []), ['url', 'passwordEnv'], 'folder settings are workspace settings too');
});

test('a remembered answer covers only the settings it was about', { timeout: 5_000 }, () => {
  const entry = { ...attacker, origin: 'workspace' as const };
  const key = trustKey(entry);
  const renamed = { ...entry, name: 'renamed', user: 'other' };
  assert.equal(trustKey(renamed), key, 'name and user change nothing that is sent where');
  for (const changed of [
    { passwordEnv: 'AWS_SECRET_ACCESS_KEY' },
    { url: 'wss://evil2.example.com:9010' },
    { tls: { rejectUnauthorized: true } },
    { tls: { rejectUnauthorized: false, caFile: '/x.pem' } },
    { origin: 'user' as const },
  ]) {
    assert.notEqual(trustKey({ ...entry, ...changed }), key, JSON.stringify(changed));
  }
  assert.ok(!key.includes('evil') && !key.includes('GITHUB'), 'globalState holds no URL and no variable name');
});

test('in Restricted Mode the workspace entries are not listed, and say so', { timeout: 5_000 }, () => {
  const list = listConnections({ user: [mine], workspace: [attacker, { ...attacker, name: 'b' }], workspaceFolder: [attacker] }, { trusted: false });
  assert.deepEqual(list.entries.map((e) => e.origin), ['user']);
  assert.equal(list.ignoredUntrusted, 3);
  assert.equal(findConnection(list, 'b'), undefined);
});

test("a workspace list does not hide the user's; a name is the user's entry first", { timeout: 5_000 }, () => {
  const list = listConnections({ user: [mine], workspace: [attacker, mine], workspaceFolder: [attacker] }, { trusted: true });
  assert.deepEqual(
    list.entries.map((e) => `${e.origin}:${e.url}`),
    ['user:wss://media.example.com:9010', 'workspace:wss://evil.example.com:9010'],
    'the same entry again is listed once, with the more trusted origin',
  );
  assert.equal(findConnection(list, 'staging')?.origin, 'user', 'a workspace entry named like the user\'s does not take its place');
});

test('malformed entries and fields: unusable entries are counted, a bad field is dropped, never trusted', { timeout: 5_000 }, () => {
  const list = listConnections(
    {
      user: [
        { name: 'ok', url: 'ws://h:1', user: 'u', tls: { rejectUnauthorized: 'false' }, passwordEnv: 'A; rm -rf', subscriptions: [{ class: 'media' }, { subclass: 'x' }], dialect: 'nope' },
        { name: 1, url: 'ws://h:1', user: 'u' },
        'text',
      ],
      workspace: { not: 'an array' },
    },
    { trusted: true },
  );
  assert.equal(list.invalid, 2);
  assert.deepEqual(list.entries, [{ name: 'ok', url: 'ws://h:1', user: 'u', tls: {}, subscriptions: [{ class: 'media' }], dialect: 'auto', origin: 'user' }]);
});

test('values shown in the question cannot forge a line or hide behind bidi overrides, and are bounded', { timeout: 5_000 }, () => {
  const forged = { name: 'x"\nURL: wss://good.example.com', url: 'wss://evil.example.com/\u202Emoc.doog', user: 'admin', origin: 'workspace' as const };
  const question = trustQuestion(forged, trustConcerns(forged, []), 'the workspace settings');
  assert.equal(question.detail.split('\n').filter((l) => l.startsWith('URL:')).length, 1);
  assert.ok(!question.message.includes('\n') && !question.detail.includes('\u202E'));
  assert.match(question.detail, /\\u202e/);
  const long = shown('w'.repeat(100_000));
  assert.ok(long.length < MAX_SHOWN_CHARS + 40 && long.endsWith('(100000 characters)'));
});
