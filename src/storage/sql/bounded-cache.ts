/**
 * A map that forgets its oldest entry past `capacity`. SQL text is mostly constant, but
 * filters with a variable number of tags or statuses make new texts, and a caller able
 * to choose that number must not be able to grow the cache without bound.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  getOrCreate(key: string, create: (key: string) => V): V {
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      return cached;
    }
    const value = create(key);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) {
        this.entries.delete(oldest.value);
      }
    }
    this.entries.set(key, value);
    return value;
  }
}
