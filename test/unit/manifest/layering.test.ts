// The design a newcomer reads from the file list must be the design the imports follow: no
// `vscode` outside the adapters, no import that runs up a layer, webview pages that reach
// only into themselves and src/shared, and modules short enough to read.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

// Tests run from the repository root (the bundled test file lives in out/).
const SRC = path.resolve(process.cwd(), 'src');
/** "~400 lines": a module past this is split along its seams. */
const MAX_MODULE_LINES = 420;

/** What each top-level folder of src/ may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  shared: [],
  protocol: ['shared'],
  core: ['shared', 'protocol'],
  simulator: ['shared', 'protocol'],
  timeline: ['shared', 'protocol', 'core'],
  trace: ['shared', 'protocol', 'core', 'simulator'],
  inspector: ['shared', 'protocol', 'core', 'trace', 'timeline'],
  cli: ['shared', 'protocol', 'core', 'simulator', 'trace', 'inspector', 'timeline'],
  vscode: ['shared', 'protocol', 'core', 'simulator', 'trace', 'inspector', 'timeline'],
  webview: ['shared'],
  'extension.ts': ['shared', 'protocol', 'core', 'simulator', 'trace', 'inspector', 'timeline', 'vscode'],
};

/** Inside the timeline page: what each folder may import (besides itself). Root files wire them. */
const TIMELINE_PAGE_ALLOWED: Record<string, readonly string[]> = {
  theme: [],
  data: ['theme'],
  state: ['data'],
  canvas: ['state', 'data', 'theme', '(root)'],
  panes: ['state', 'data', 'theme', '(root)'],
  input: ['state', '(root)'],
};

interface Module {
  file: string;
  lines: number;
  imports: string[];
}

function modules(dir = SRC): Module[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return modules(file);
    if (!entry.name.endsWith('.ts')) return [];
    const text = fs.readFileSync(file, 'utf8');
    const imports = [...text.matchAll(/^(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    // Lines as wc counts them: a final newline ends the last line, it does not start one.
    return [{ file, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0), imports }];
  });
}

/** 'core', 'webview', 'extension.ts'… for a path inside src/, or undefined outside it. */
function topOf(file: string): string | undefined {
  const relative = path.relative(SRC, file);
  if (relative.startsWith('..')) return undefined;
  return relative.split(path.sep)[0];
}

const all = modules();
const relativeImports = (m: Module) => m.imports.filter((i) => i.startsWith('.')).map((i) => path.resolve(path.dirname(m.file), i));
const name = (file: string) => path.relative(SRC, file);

describe('layering', () => {
  test('only the adapters import vscode', () => {
    const offenders = all.filter((m) => m.imports.includes('vscode') && !['vscode', 'extension.ts'].includes(topOf(m.file) ?? '')).map((m) => name(m.file));
    assert.deepEqual(offenders, []);
  });

  test('no import runs up a layer', () => {
    const offenders: string[] = [];
    for (const m of all) {
      const from = topOf(m.file) ?? '';
      for (const target of relativeImports(m)) {
        const to = topOf(target);
        if (to === undefined || to === from || to === 'package.json') continue;
        if (!(ALLOWED[from] ?? []).includes(to)) offenders.push(`${name(m.file)} -> ${name(target)}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  test('a webview page imports only itself, src/webview/common and src/shared; nothing outside src/webview imports a page', () => {
    const offenders: string[] = [];
    for (const m of all) {
      const fromParts = name(m.file).split(path.sep);
      for (const target of relativeImports(m)) {
        const toParts = name(target).split(path.sep);
        // common/ holds what every page needs (the host channel) and imports no page.
        if (fromParts[0] === 'webview' && toParts[0] === 'webview' && fromParts[1] !== toParts[1] && toParts[1] !== 'common') offenders.push(`${name(m.file)} -> ${name(target)}`);
        if (fromParts[0] !== 'webview' && toParts[0] === 'webview') offenders.push(`${name(m.file)} -> ${name(target)}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  test('inside the timeline page, data, state, canvas, panes and input import only what they are built on', () => {
    const page = path.join(SRC, 'webview', 'timelinePage');
    const folderOf = (file: string) => {
      const parts = path.relative(page, file).split(path.sep);
      return parts.length > 1 ? parts[0] : '(root)';
    };
    const offenders: string[] = [];
    for (const m of all.filter((mod) => mod.file.startsWith(page + path.sep))) {
      const from = folderOf(m.file);
      if (from === '(root)') continue;
      for (const target of relativeImports(m)) {
        if (!target.startsWith(page + path.sep)) continue;
        const to = folderOf(target);
        if (to !== from && !(TIMELINE_PAGE_ALLOWED[from] ?? []).includes(to)) offenders.push(`${name(m.file)} -> ${name(target)}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  test(`no module is longer than ${MAX_MODULE_LINES} lines`, () => {
    const long = all.filter((m) => m.lines > MAX_MODULE_LINES).map((m) => `${name(m.file)} (${m.lines})`);
    assert.deepEqual(long, []);
  });
});
