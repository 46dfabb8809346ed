// The servers of `nkmedia.connections`, read settings layer by settings layer so that every
// entry knows where it came from. A repository's .vscode/settings.json is as untrusted as a
// trace file: it can name an attacker's URL, a password variable or TLS off, so the Connect…
// list shows the origin and connectionTrust.ts decides what must be confirmed before a login.
import { z } from 'zod';
import { subscriptionSchema, type Subscription } from '../protocol/frames';
import { isDialectSetting, type DialectSetting } from '../protocol/dialects';

/** Where a setting's value was written: user settings, or a workspace's (or folder's) settings. */
export type SettingOrigin = 'user' | 'workspace' | 'workspaceFolder';

export interface ConnectionSetting {
  name: string;
  url: string;
  user: string;
  /** The server's era; absent or invalid means `auto`. */
  dialect?: DialectSetting;
  subscriptions?: Subscription[];
  loginSubclass?: boolean;
  tls?: { caFile?: string; rejectUnauthorized?: boolean };
  passwordEnv?: string;
}

export interface ConnectionEntry extends ConnectionSetting {
  origin: SettingOrigin;
}

/** The raw values of `nkmedia.connections` per layer, as `inspect()` reports them. */
export interface ConnectionLayers {
  user?: unknown;
  workspace?: unknown;
  workspaceFolder?: unknown;
}

export interface ConnectionList {
  /** User entries first, then the workspace's, then the folders'. */
  entries: ConnectionEntry[];
  /** Workspace entries left out because the workspace is not trusted (Restricted Mode). */
  ignoredUntrusted: number;
  /** Entries without a string name, url and user: unusable, so not listed. */
  invalid: number;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A field of the wrong type is dropped, not the entry: a typo must not hide a server. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** Keeps the subscriptions that are well formed; none left means "use nkmedia.subscriptions". */
const subscriptionList = z.unknown().optional().transform((value): Subscription[] | undefined => {
  if (!Array.isArray(value)) return undefined;
  const kept = value.flatMap((item) => {
    const parsed = subscriptionSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
  return kept.length > 0 ? kept : undefined;
});

const entrySchema = z.object({
  name: z.string(),
  url: z.string(),
  user: z.string(),
  dialect: z.unknown().optional().transform((v): DialectSetting => (isDialectSetting(v) ? v : 'auto')),
  subscriptions: subscriptionList,
  loginSubclass: lenient(z.boolean()),
  // Only a real variable name: anything else could not name a password anyway.
  passwordEnv: lenient(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)),
  tls: lenient(z.object({ caFile: lenient(z.string().min(1)), rejectUnauthorized: lenient(z.boolean()) }).transform(withoutUndefined)),
});

function parseLayer(value: unknown, origin: SettingOrigin): { entries: ConnectionEntry[]; invalid: number } {
  if (!Array.isArray(value)) return { entries: [], invalid: 0 };
  const entries: ConnectionEntry[] = [];
  let invalid = 0;
  for (const item of value) {
    const parsed = entrySchema.safeParse(item);
    if (!parsed.success) {
      invalid++;
      continue;
    }
    entries.push({ ...withoutUndefined(parsed.data), origin });
  }
  return { entries, invalid };
}

/** The same server settings, whatever layer holds them. */
function sameSettings(a: ConnectionSetting, b: ConnectionSetting): boolean {
  const plain = ({ name, url, user, dialect, subscriptions, loginSubclass, tls, passwordEnv }: ConnectionSetting) =>
    JSON.stringify([name, url, user, dialect, subscriptions, loginSubclass, tls?.caFile, tls?.rejectUnauthorized, passwordEnv]);
  return plain(a) === plain(b);
}

/**
 * Every usable entry of every layer. VS Code lets a workspace's array replace the user's; here
 * both are listed, each with its origin, so a repository's list never hides the user's own
 * servers and the user sees which ones the repository added. An entry that repeats one of a
 * less specific layer exactly is listed once, with the less specific (more trusted) origin.
 * When the workspace is not trusted its entries are not listed at all (Restricted Mode).
 */
export function listConnections(layers: ConnectionLayers, options: { trusted: boolean }): ConnectionList {
  const order: Array<[SettingOrigin, unknown]> = [
    ['user', layers.user],
    ['workspace', layers.workspace],
    ['workspaceFolder', layers.workspaceFolder],
  ];
  const list: ConnectionList = { entries: [], ignoredUntrusted: 0, invalid: 0 };
  for (const [origin, value] of order) {
    const { entries, invalid } = parseLayer(value, origin);
    if (origin !== 'user' && !options.trusted) {
      list.ignoredUntrusted += entries.length;
      continue;
    }
    list.invalid += invalid;
    for (const entry of entries) if (!list.entries.some((known) => sameSettings(known, entry))) list.entries.push(entry);
  }
  return list;
}

/** The entry "NkMEDIA: Connect" with a name argument means: the user's own first, then the workspace's. */
export function findConnection(list: ConnectionList, name: string): ConnectionEntry | undefined {
  return list.entries.find((e) => e.name === name && e.origin === 'user') ?? list.entries.find((e) => e.name === name);
}
