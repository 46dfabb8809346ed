// Passwords live in VS Code's SecretStorage, one per server URL and user, never in settings,
// logs or traces. A connection may instead name an environment variable (passwordEnv).
import type * as vscode from 'vscode';
import { redactUrl } from '../protocol/client';

export class PasswordStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  static keyFor(url: string, user: string): string {
    return `nkmedia.password:${redactUrl(url)}|${user}`;
  }

  get(url: string, user: string): Thenable<string | undefined> {
    return this.secrets.get(PasswordStore.keyFor(url, user));
  }

  store(url: string, user: string, password: string): Thenable<void> {
    return this.secrets.store(PasswordStore.keyFor(url, user), password);
  }

  delete(url: string, user: string): Thenable<void> {
    return this.secrets.delete(PasswordStore.keyFor(url, user));
  }
}
