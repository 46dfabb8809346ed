// Text bound for a terminal. Ids, types, reasons, user names and file contents come from
// servers and trace files: an ESC in one of them is an instruction to the terminal (colours,
// cursor moves, OSC 52 writes to the clipboard, OSC 8 links, a title change), so every
// control character is written as a visible `\uXXXX` escape instead.
//
// Why `\uXXXX`: it is also a JSON string escape of the same character, so `stats --json`
// stays valid JSON with the same values after this pass (JSON.stringify escapes C0 itself,
// but leaves DEL, C1 and the bidi controls raw).

/**
 * Escaped: C0 (U+0000–U+001F) but tab and, with `keepNewlines`, `\n`; DEL (U+007F); C1
 * (U+0080–U+009F, where U+009B is a one-character CSI and U+009D an OSC); and the bidi
 * embedding, override and isolate controls that can make text display in another order
 * than it is (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069); and the line and
 * paragraph separators (U+2028, U+2029), line ends to many viewers.
 */
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character as a visible escape. `keepNewlines` keeps `\n` (for
 * output made of lines; a value inside a line must not start a new one, so the default
 * escapes it too). `\r` is always escaped: it lets text overwrite the start of its line.
 */
export function terminalSafe(text: string, { keepNewlines = false }: { keepNewlines?: boolean } = {}): string {
  return text.replace(keepNewlines ? CONTROLS_BUT_NEWLINE : CONTROLS, escapeOne);
}

/** A value from the network inside one log line: quoted, every control character escaped, cut to `max`. */
export function logValue(value: unknown, max = 100): string {
  const text = typeof value === 'string' ? value : String(value);
  return terminalSafe(JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text));
}
