// In-process memory that may forget (the activities' idempotency keys, the client's current runs).
// It is bounded so a long-running process cannot grow without limit; an entry forgotten after that
// many newer ones only costs one harmless repeat.

/** Sets key → value as the newest entry and forgets the oldest beyond `limit` (Maps keep insertion order). */
export function rememberBounded<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= limit) break;
    map.delete(oldest);
  }
}
