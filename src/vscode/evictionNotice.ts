// Says so when a source holds more events than nkmedia.maxEvents and the oldest are dropped:
// once in the log and once as a notification per source, then a running count in the log at
// most every minute, so a long capture never silently loses its beginning.
import * as vscode from 'vscode';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import type { Logger } from '../shared/logger';
import { Settings } from './ids';

const LOG_INTERVAL_MS = 60_000;

export function watchEvictions(registry: SourceRegistry, logger: Logger): vscode.Disposable {
  const watched = new Map<string, vscode.Disposable>();
  const sync = () => {
    for (const source of registry.list()) {
      if (watched.has(source.id)) continue;
      let lastLog = 0;
      watched.set(
        source.id,
        source.store.onDidChange((change) => {
          if (change.evicted === 0) return;
          const now = Date.now();
          if (lastLog === 0) {
            const message = `${source.name}: more than ${source.store.size.toLocaleString('en-US')} events; the oldest are now dropped to stay within nkmedia.maxEvents.`;
            logger.warn(message);
            void vscode.window.showWarningMessage(`NkMEDIA: ${message}`, 'Change the Limit').then((choice) => {
              if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', `${Settings.section}.${Settings.maxEvents}`);
            });
          } else if (now - lastLog < LOG_INTERVAL_MS) {
            return;
          } else {
            logger.info(`${source.name}: ${source.store.evictedCount.toLocaleString('en-US')} oldest events dropped so far (nkmedia.maxEvents)`);
          }
          lastLog = now;
        }),
      );
    }
    for (const [id, subscription] of watched) {
      if (registry.get(id)) continue;
      subscription.dispose();
      watched.delete(id);
    }
  };
  const registration = registry.onDidChange(sync);
  sync();
  return {
    dispose: () => {
      registration.dispose();
      for (const subscription of watched.values()) subscription.dispose();
      watched.clear();
    },
  };
}
