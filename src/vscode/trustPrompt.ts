// Asks the questions of inspector/connectionTrust.ts as modal dialogs and remembers each
// "Connect" in globalState (per origin and settings, see trustKey), so a server is asked
// about once, not on every Connect….
import * as vscode from 'vscode';
import type { ConnectionSetting, SettingOrigin } from '../inspector/connectionSettings';
import { trustConcerns, trustKey, trustQuestion, type TrustQuestion, type TrustSubject } from '../inspector/connectionTrust';

const STATE_KEY = 'nkmedia.trustedConnections';
/** Remembered answers kept; the oldest go first. Bounds what a long-lived profile accumulates. */
const MAX_REMEMBERED = 500;

export type AskTrust = (question: TrustQuestion) => Thenable<boolean>;

const askWithModal: AskTrust = async (question) => {
  const answer = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, question.confirm);
  return answer === question.confirm;
};

/** Where settings of `origin` are written, for the question ("From: …"). */
export function whereLabel(origin: SettingOrigin): string {
  if (origin === 'user') return 'your user settings';
  if (origin === 'workspace') {
    const file = vscode.workspace.workspaceFile;
    if (file && file.scheme !== 'untitled') return `the workspace settings (${file.fsPath})`;
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? `the workspace settings (${vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json').fsPath})` : 'the workspace settings';
  }
  return "a workspace folder's settings (.vscode/settings.json)";
}

export class ConnectionTrust {
  /**
   * How a question is asked. Tests replace it: the integration tests run in code-server's
   * extension host, which cannot press a button of the workbench's modal dialog.
   */
  ask: AskTrust = askWithModal;

  constructor(private readonly state: vscode.Memento) {}

  /** True when `subject` may be logged in to: nothing to confirm, confirmed before, or confirmed now. */
  async confirm(subject: TrustSubject, userEntries: readonly ConnectionSetting[]): Promise<boolean> {
    const concerns = trustConcerns(subject, userEntries);
    if (concerns.length === 0) return true;
    const key = trustKey(subject);
    if (this.remembered().includes(key)) return true;
    if (!(await this.ask(trustQuestion(subject, concerns, whereLabel(subject.origin))))) return false;
    await this.state.update(STATE_KEY, [...this.remembered().filter((k) => k !== key), key].slice(-MAX_REMEMBERED));
    return true;
  }

  /** Forgets every remembered answer: each server is asked about again. */
  forget(): Thenable<void> {
    return this.state.update(STATE_KEY, undefined);
  }

  private remembered(): string[] {
    const value = this.state.get<unknown>(STATE_KEY);
    return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
  }
}
