// SecretStorage in memory, for building a Session without the real keychain.
import * as vscode from 'vscode';

/**
 * Behaves like VS Code's SecretStorage as an extension sees it: get, store and delete answer with
 * promises, and each store, and each delete of a stored key, fires `onDidChange` with the key on a
 * later tick (in VS Code it crosses from the main process), in the window that wrote as well. Every
 * window of an extension shares one storage, so writing to this directly, past the Session under
 * test, plays another window.
 */
export class InMemorySecretStorage implements vscode.SecretStorage, vscode.Disposable {
  private readonly values = new Map<string, string>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();

  readonly onDidChange = this.changeEmitter.event;

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.changed(key);
  }

  async delete(key: string): Promise<void> {
    if (this.values.delete(key)) {
      this.changed(key);
    }
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private changed(key: string): void {
    setTimeout(() => this.changeEmitter.fire({ key }), 0);
  }
}
