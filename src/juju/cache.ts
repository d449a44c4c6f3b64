// Per-dispatch memoisation of hook-tool reads: concurrent callers share one call.

/** The cached promise for `key`, loading it on first use; a failed load is forgotten so a later call retries. */
export function cached<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  let value = cache.get(key);
  if (!value) {
    value = load();
    cache.set(key, value);
    const loading = value;
    loading.catch(() => {
      if (cache.get(key) === loading) cache.delete(key);
    });
  }
  return value;
}
