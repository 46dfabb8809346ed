// What a source's row in the tree and the status bar say about its server: the era, and what
// needs the user's eye (refused subscriptions, a connection without events). Plain text, so
// the tree, the status bar and the tests share one wording.
import { formatSubscription } from '../protocol/frames';
import { describeRefusal } from '../protocol/handshake';
import type { ServerInfo } from './source';

export interface ServerSummary {
  /** Short era for a row's description: `Oct 2016`, `develop 2017 + nkcollab`, `era ?`. */
  era: string;
  /** One short line per problem, for descriptions and the status bar: `1 subscription refused`. */
  warnings: string[];
  /** Everything, one fact a line, for tooltips. */
  details: string[];
}

export function summarizeServer(server: ServerInfo): ServerSummary {
  const { dialect, refusedSubscriptions, hint } = server;
  const era = dialect.id === undefined ? 'era ?' : dialect.label.replace(/^NkMEDIA /, '');
  const warnings: string[] = [];
  const details: string[] = [`server: ${dialect.label}${dialect.how === 'detected' ? ' (detected)' : dialect.how === 'set' ? ' (as set)' : ''}`];
  if (dialect.evidence.length > 0) details.push(`  from: ${dialect.evidence.join('; ')}`);
  if (dialect.mismatch) {
    warnings.push('era differs from the setting');
    details.push(`⚠ set to ${dialect.label}, but ${dialect.mismatch}`);
  }
  if (refusedSubscriptions.length > 0) {
    warnings.push(`${refusedSubscriptions.length} subscription${refusedSubscriptions.length > 1 ? 's' : ''} refused`);
    for (const refusal of refusedSubscriptions) details.push(`⚠ subscription ${formatSubscription(refusal.subscription)} refused: ${describeRefusal(refusal)}`);
  }
  if (hint) {
    warnings.push('no events');
    details.push(`⚠ ${hint}`);
  }
  return { era, warnings, details };
}
