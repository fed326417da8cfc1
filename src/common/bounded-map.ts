// A Map that forgets its oldest entries past a size; setting a key again makes it the newest, so
// a cache that sets what it reads keeps the entries in use.
export class BoundedMap<V> extends Map<string, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: string, value: V): this {
    this.delete(key);
    if (this.size >= this.max) this.delete(this.keys().next().value as string);
    return super.set(key, value);
  }
}
