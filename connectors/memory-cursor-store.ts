/**
 * An in-memory CursorStore, for tests and one-off runs that should not resume (`--no-resume`).
 *
 *   const store = new MemoryCursorStore(); await store.set('files', cursor);
 */
import type { CursorStore } from './connector.js';

export class MemoryCursorStore implements CursorStore {
  readonly values = new Map<string, string>();
  async get(source: string): Promise<string | null> {
    return this.values.get(source) ?? null;
  }
  async set(source: string, cursor: string): Promise<void> {
    this.values.set(source, cursor);
  }
}
