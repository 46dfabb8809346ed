// The status bar item: connection state and event rate; a click connects or disconnects.
import * as vscode from 'vscode';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import type { Source } from '../inspector/source';
import { Commands } from './ids';
import { summarizeServer } from '../inspector/serverSummary';
import { formatRate } from '../inspector/rateMeter';

const UPDATE_INTERVAL_MS = 1000;

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nkmedia.status', vscode.StatusBarAlignment.Left, 50);
  private readonly timer: NodeJS.Timeout;
  private readonly subscriptions: Array<{ dispose(): void }>;

  constructor(private readonly registry: SourceRegistry) {
    this.item.name = 'NkMEDIA Inspector';
    this.item.command = Commands.toggleConnection;
    this.subscriptions = [registry.onDidChange(() => this.update()), registry.onDidChangeStatus(() => this.update())];
    this.timer = setInterval(() => this.update(), UPDATE_INTERVAL_MS);
    this.update();
  }

  /** The text shown, for tests. */
  get text(): string {
    return this.item.text;
  }

  update(): void {
    const live = this.registry.list().filter((s) => s.kind === 'live');
    if (live.length === 0) {
      this.item.text = '$(debug-disconnect) NkMEDIA';
      this.item.tooltip = 'NkMEDIA Inspector: not connected. Click to connect.';
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const rate = live.reduce((sum, s) => sum + s.eventRate(), 0);
    const worst = worstStatus(live);
    const summaries = live.map((s) => summarizeServer(s.server));
    const warnings = summaries.flatMap((summary) => summary.warnings);
    const icon = warnings.length > 0 ? '$(warning)' : worst === 'connected' ? '$(plug)' : worst === 'disconnected' ? '$(debug-disconnect)' : '$(sync~spin)';
    const eras = [...new Set(summaries.map((summary) => summary.era))].join(', ');
    this.item.text = `${icon} NkMEDIA ${worst === 'connected' ? `${formatRate(rate)} ev/s · ${eras}` : worst}${warnings.length ? ` · ${warnings[0]}` : ''}`;
    this.item.tooltip =
      live
        .map((s, i) => [`${s.name}: ${s.status.kind}${s.status.detail ? ` (${s.status.detail})` : ''}, ${formatRate(s.eventRate())} events/s`, ...summaries[i].details.map((d) => `  ${d}`)].join('\n'))
        .join('\n') + '\nClick to disconnect.';
    this.item.backgroundColor = worst === 'reconnecting' || worst === 'disconnected' || warnings.length > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}

function worstStatus(sources: Source[]): string {
  const order = ['disconnected', 'reconnecting', 'connecting', 'connected'];
  let worst = 'connected';
  for (const s of sources) if (order.indexOf(s.status.kind) < order.indexOf(worst)) worst = s.status.kind;
  return worst;
}
