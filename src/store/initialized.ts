/**
 * Initializes a freshly opened store, closing it when initialization fails, so that a caller who
 * never receives the store has no connection or file handle left open.
 *
 *   const store = await initialized(new SqliteStore({ path }));
 */
export async function initialized<T extends { init(): Promise<void>; close(): Promise<void> }>(store: T): Promise<T> {
  try {
    await store.init();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
