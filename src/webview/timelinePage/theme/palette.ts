// Colours for the canvas, read from VS Code's theme CSS variables (so light, dark and
// high-contrast themes all work), with fallbacks for a page outside VS Code. Re-read when
// VS Code switches theme (it changes the body class and the variables).
import type { ColorRole } from './typeColors';

export interface Palette {
  readonly background: string;
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly groupBackground: string;
  /** Text on the group header band. */
  readonly groupForeground: string;
  readonly bar: string;
  readonly barAlive: string;
  readonly selection: string;
  readonly hover: string;
  readonly focus: string;
  readonly gap: string;
  readonly warning: string;
  readonly error: string;
  /** Calls that ended declined (rejected, not answered, cancelled): not faults. */
  readonly declined: string;
  readonly link: string;
  readonly publisher: string;
  readonly listener: string;
  /** Outline for high-contrast themes; '' when the theme has none. */
  readonly contrastBorder: string;
  readonly font: string;
  readonly fontSize: number;
  readonly roles: Readonly<Record<ColorRole, string>>;
}

// Each colour is the first theme variable that the theme sets, in order; the hex is only for
// a page outside VS Code. Fallbacks are other variables, never a fixed dark colour: a theme
// that leaves a variable unset (Light High Contrast sets no section-header background) would
// otherwise get a dark band with its own dark text on it.
const VARIABLES: Array<[keyof Omit<Palette, 'roles' | 'font' | 'fontSize'>, string[], string]> = [
  ['background', ['--vscode-editor-background'], '#1e1e1e'],
  ['foreground', ['--vscode-editor-foreground', '--vscode-foreground'], '#cccccc'],
  ['muted', ['--vscode-descriptionForeground', '--vscode-foreground'], '#9d9d9d'],
  ['grid', ['--vscode-editorIndentGuide-background1', '--vscode-editorIndentGuide-background', '--vscode-panel-border', '--vscode-contrastBorder'], '#404040'],
  ['groupBackground', ['--vscode-sideBarSectionHeader-background', '--vscode-editorWidget-background', '--vscode-editor-background'], '#2a2a2a'],
  ['groupForeground', ['--vscode-sideBarSectionHeader-foreground', '--vscode-foreground'], '#cccccc'],
  // Ended and alive bars must differ in every theme: badge and progress bar colours are the
  // same blue in Light 2026, so ended bars take the disabled grey and alive ones the chart blue.
  ['bar', ['--vscode-disabledForeground', '--vscode-descriptionForeground'], '#7a7a7a'],
  ['barAlive', ['--vscode-charts-blue'], '#3794ff'],
  ['selection', ['--vscode-list-inactiveSelectionBackground', '--vscode-list-activeSelectionBackground', '--vscode-editor-selectionBackground'], '#37373d'],
  ['hover', ['--vscode-list-hoverBackground', '--vscode-editor-hoverHighlightBackground'], '#2a2d2e'],
  ['focus', ['--vscode-focusBorder'], '#007fd4'],
  ['gap', ['--vscode-editorWarning-foreground'], '#cca700'],
  ['warning', ['--vscode-editorWarning-foreground'], '#cca700'],
  ['error', ['--vscode-errorForeground'], '#f48771'],
  ['declined', ['--vscode-charts-orange'], '#d18616'],
  ['link', ['--vscode-charts-purple'], '#b180d7'],
  ['publisher', ['--vscode-charts-blue'], '#3794ff'],
  ['listener', ['--vscode-charts-purple'], '#b180d7'],
  ['contrastBorder', ['--vscode-contrastBorder'], ''],
];

const ROLE_VARIABLES: Record<ColorRole, [string, string]> = {
  start: ['--vscode-charts-blue', '#3794ff'],
  answer: ['--vscode-charts-green', '#89d185'],
  ringing: ['--vscode-charts-yellow', '#cca700'],
  update: ['--vscode-charts-purple', '#b180d7'],
  join: ['--vscode-terminal-ansiCyan', '#29b8db'],
  leave: ['--vscode-charts-orange', '#d18616'],
  end: ['--vscode-charts-red', '#f14c4c'],
  unknown: ['--vscode-charts-foreground', '#cccccc'],
  other: ['--vscode-descriptionForeground', '#9d9d9d'],
};

export function readPalette(element: Element = document.body): Palette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const values = {} as Record<string, string>;
  for (const [key, names, fallback] of VARIABLES) values[key] = names.reduceRight((next, name) => read(name, next), fallback);
  const roles = {} as Record<ColorRole, string>;
  for (const role of Object.keys(ROLE_VARIABLES) as ColorRole[]) roles[role] = read(...ROLE_VARIABLES[role]);
  const family = read('--vscode-font-family', 'system-ui, sans-serif');
  const size = parseFloat(read('--vscode-font-size', '13')) || 13;
  return { ...(values as unknown as Omit<Palette, 'roles' | 'font' | 'fontSize'>), roles, font: family, fontSize: Math.min(size, 13) };
}

/** Calls `onChange` when VS Code switches theme. */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
