// What a login needs the user to confirm first. A repository's settings can name an attacker's
// URL, a `passwordEnv` naming any variable (GITHUB_TOKEN…) and TLS off: picking that entry
// would send the variable's value to the attacker. So, before the first login:
//  - a URL from workspace settings that the user's own settings do not name is shown, with
//    where it came from, and must be confirmed;
//  - a passwordEnv, CA file or TLS switch from workspace settings the user's settings do not
//    also name must be confirmed, before the variable or the file is read;
//  - TLS off must be confirmed from any origin (a warning alone is too easy to miss).
// The answer "Connect" is remembered per origin and these exact settings (trustKey).
import { createHash } from 'crypto';
import type { ConnectionSetting, SettingOrigin } from './connectionSettings';

export type TrustConcern =
  | { kind: 'url' }
  | { kind: 'passwordEnv'; variable: string }
  | { kind: 'caFile'; file: string }
  | { kind: 'tlsOff' };

/** The parts of a connection that decide what may be sent where. */
export interface TrustSubject {
  name: string;
  url: string;
  origin: SettingOrigin;
  passwordEnv?: string;
  tls?: { caFile?: string; rejectUnauthorized?: boolean };
}

export interface TrustQuestion {
  message: string;
  detail: string;
  /** The button that connects; any other answer (Cancel, Escape) does not. */
  confirm: string;
}

function normalUrl(url: string): string {
  try {
    return new URL(url.trim()).href;
  } catch {
    return url.trim();
  }
}

/** What must be confirmed before logging in to `subject`; empty: nothing, connect. */
export function trustConcerns(subject: TrustSubject, userEntries: readonly ConnectionSetting[]): TrustConcern[] {
  const concerns: TrustConcern[] = [];
  const fromWorkspace = subject.origin !== 'user';
  if (fromWorkspace) {
    const url = normalUrl(subject.url);
    if (!userEntries.some((e) => normalUrl(e.url) === url)) concerns.push({ kind: 'url' });
    const variable = subject.passwordEnv;
    if (variable && !userEntries.some((e) => e.passwordEnv === variable)) concerns.push({ kind: 'passwordEnv', variable });
    const file = subject.tls?.caFile;
    if (file && !userEntries.some((e) => e.tls?.caFile === file)) concerns.push({ kind: 'caFile', file });
  }
  if (subject.tls?.rejectUnauthorized === false) concerns.push({ kind: 'tlsOff' });
  return concerns;
}

/**
 * The key a "Connect" answer is remembered under: the origin and every setting the answer was
 * about, so that a repository changing the variable, the CA file or the TLS switch behind an
 * approved URL is asked about again. Hashed: globalState then holds no URL (which may carry
 * credentials) and no variable name.
 */
export function trustKey(subject: TrustSubject): string {
  const parts = [subject.origin, normalUrl(subject.url), subject.passwordEnv ?? '', subject.tls?.caFile ?? '', subject.tls?.rejectUnauthorized === false];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Longest value shown in the question: a URL or name of a megabyte must not fill the dialog. */
export const MAX_SHOWN_CHARS = 300;

/**
 * A value from settings made safe to show: control, line and bidi-override characters are
 * escaped, so that a name like "x\nURL: wss://good" cannot forge a line of the question.
 */
export function shown(value: string): string {
  const escaped = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > MAX_SHOWN_CHARS ? `${escaped.slice(0, MAX_SHOWN_CHARS)}… (${escaped.length} characters)` : escaped;
}

/** The modal question for `concerns`; `where` names the settings file the entry came from ("From: …"). */
export function trustQuestion(subject: TrustSubject, concerns: readonly TrustConcern[], where: string): TrustQuestion {
  const name = shown(subject.name);
  const fromWorkspace = subject.origin !== 'user';
  const origin = subject.origin === 'workspaceFolder' ? "a workspace folder's settings" : 'the workspace settings';
  const message = fromWorkspace
    ? `Connect to "${name}", a server named in ${origin}?`
    : `Connect to "${name}" with TLS certificate checks OFF?`;
  const lines = [`URL: ${shown(subject.url)}`, `From: ${where}`];
  for (const concern of concerns) {
    if (concern.kind === 'passwordEnv') {
      lines.push(`Password: the value of the environment variable ${shown(concern.variable)}, which your user settings do not name. It is sent to this server.`);
    } else if (concern.kind === 'caFile') {
      lines.push(`Trusts the CA certificate in ${shown(concern.file)} for this server.`);
    } else if (concern.kind === 'tlsOff') {
      lines.push('TLS certificate checks: OFF (rejectUnauthorized: false). Any certificate is accepted: whoever sits between you and the server can read the password and the events.');
    }
  }
  lines.push(
    fromWorkspace
      ? 'Connect only if you trust this workspace. "Connect" is remembered for this URL and these settings; Cancel is not.'
      : '"Connect" is remembered for this URL; Cancel is not.',
  );
  return { message, detail: lines.join('\n'), confirm: 'Connect' };
}
