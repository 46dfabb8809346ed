// Notes: added, edited and removed in the store, announced to the views, and still about the
// same event after save → open (where every seq changes).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { EventStore, addNote, editNote, eventNote, noteEventSeq, noteLine, notesOf, notesOfObject, objectNote, removeNote, type StoreChange } from '../../../src/core';
import { loadTrace } from '../../../src/trace/loadTrace';
import { saveTrace } from '../../../src/trace/saveTrace';
import { removeTempDirs, tempDir } from '../trace/traceFixtures';
import { Feed, PUB, T0 } from './feed';

after(removeTempDirs);

const SESSION = `media/session/${PUB}`;

describe('notes', { timeout: 20_000 }, () => {
  test('a note on an object sits at its first event; add, edit and remove are announced and listed', () => {
    const store = new EventStore({ notifyIntervalMs: 0 });
    try {
      const feed = new Feed(store);
      feed.session('created', PUB);
      feed.session('answer', PUB);
      const changes: StoreChange[] = [];
      store.onDidChange((c) => changes.push(c));
      const note = objectNote(store, SESSION, 'alice’s session', new Date('2026-12-04T10:00:00Z'));
      assert.ok(note);
      assert.deepEqual(note, { line: 'note', ts: T0 + 10, object: SESSION, text: 'alice’s session', created: '2026-12-04T10:00:00.000Z' });
      assert.ok(addNote(store, note));
      store.flush();
      assert.equal(changes.at(-1)?.annotationsChanged, true, 'the views hear of it');
      assert.deepEqual(notesOfObject(store, SESSION), [note]);

      const edited = editNote(store, note, 'second thoughts');
      assert.equal(edited?.text, 'second thoughts');
      assert.equal(edited?.created, note.created, 'an edit keeps when it was written');
      assert.deepEqual(notesOf(store).map((n) => n.text), ['second thoughts']);
      assert.equal(editNote(store, note, 'stale'), undefined, 'the old version is no longer kept');

      assert.ok(removeNote(store, edited!));
      assert.deepEqual(notesOfObject(store, SESSION), []);
      assert.equal(store.annotations().length, 0);
      assert.equal(objectNote(store, 'media/session/nobody', 'x'), undefined);
    } finally {
      store.dispose();
    }
  });

  test('health samples and watch hits do not announce themselves; only notes are listed', () => {
    const store = new EventStore({ notifyIntervalMs: 0 });
    try {
      new Feed(store).session('created', PUB);
      store.flush();
      const changes: StoreChange[] = [];
      store.onDidChange((c) => changes.push(c));
      store.addAnnotation({ line: 'health', ts: T0 });
      store.addAnnotation({ line: 'note', ts: Number.NaN, object: SESSION, text: 'bad' });
      store.flush();
      assert.equal(changes.length, 0);
      assert.deepEqual(notesOf(store), [], 'neither is a note');
    } finally {
      store.dispose();
    }
  });

  test('an event is found again after save → open by object, ts, type and its place among equal ones', async () => {
    const store = new EventStore();
    const dir = tempDir();
    let reopened: EventStore | undefined;
    try {
      const feed = new Feed(store);
      feed.session('created', PUB);
      // Two events alike in object, ts and type: the note is on the second.
      const first = feed.session('updated', PUB, { n: 1 });
      const second = feed.session('updated', PUB, { n: 2 });
      store.flush();
      // Give both the same ts by appending them again at one time.
      const same = feed.event({ class: 'media', subclass: 'session', type: 'info', obj_id: PUB, body: { n: 1 } }, { ts: T0 + 500 });
      const twin = feed.event({ class: 'media', subclass: 'session', type: 'info', obj_id: PUB, body: { n: 2 } }, { ts: T0 + 500 });
      const onTwin = eventNote(store, twin, 'the second info');
      const onFirst = eventNote(store, first, 'an update');
      assert.equal(onTwin?.index, 1);
      assert.equal(onFirst?.index, undefined, 'the first of its kind needs no index');
      assert.equal(noteEventSeq(store, onTwin!), twin);
      assert.equal(noteEventSeq(store, onFirst!), first);
      assert.notEqual(noteEventSeq(store, onFirst!), second);
      assert.notEqual(noteEventSeq(store, onTwin!), same);
      addNote(store, onTwin!);
      addNote(store, onFirst!);

      const file = path.join(dir, 'noted.nkmtrace');
      await saveTrace(store, file);
      reopened = (await loadTrace(file)).store;
      const notes = notesOfObject(reopened, SESSION);
      assert.deepEqual(notes.map((n) => n.text), ['an update', 'the second info'], 'by ts');
      const seq = noteEventSeq(reopened, notes[1]);
      assert.ok(seq !== undefined);
      assert.deepEqual(reopened.getEvent(seq)?.data.body, { n: 2 }, 'the same event, not its twin');
      assert.deepEqual(reopened.getEvent(noteEventSeq(reopened, notes[0])!)?.data.body, { n: 1 });
    } finally {
      store.dispose();
      reopened?.dispose();
    }
  });

  test('an event without a type is found again too', () => {
    const store = new EventStore();
    try {
      const feed = new Feed(store);
      feed.session('created', PUB);
      const untyped = feed.event({ class: 'media', subclass: 'session', obj_id: PUB });
      const note = eventNote(store, untyped, 'no type');
      assert.equal(note?.eventType, '');
      assert.equal(noteEventSeq(store, note!), untyped);
    } finally {
      store.dispose();
    }
  });

  test('a note shown on one line: newlines marked, long text cut', () => {
    assert.equal(noteLine('a\nb\r\nc'), 'a ⏎ b ⏎ c');
    assert.equal(noteLine('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
  });
});
