/**
 * A string-keyed map with O(1) snapshots: a hash trie of fixed depth whose nodes are shared
 * between a map and its forks and copied on the first write after a fork (path copying). A
 * checkpoint of the read model is a fork: it costs nothing when taken, and afterwards only
 * the paths written since (a few small arrays per changed key) — never a full copy.
 *
 * Keys are spread by a 16-bit hash over 4 levels of 16 slots; a leaf holds the few keys that
 * share a hash as [key, value] pairs.
 */
const WIDTH = 16;
const LEVELS = 4;

type Leaf<V> = { owner: number; pairs: [string, V][] };
type Branch<V> = { owner: number; slots: (Branch<V> | Leaf<V> | undefined)[] };

let owners = 0;
const nextOwner = (): number => (owners += 1);

function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash ^ (hash >>> 16)) & 0xffff;
}

const slotAt = (hash: number, level: number): number => (hash >>> (4 * level)) & (WIDTH - 1);

export class PersistentMap<V> implements Iterable<[string, V]> {
  private owner = nextOwner();
  private count = 0;

  private constructor(private root: Branch<V>) {}

  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>({ owner: 0, slots: [] });
  }

  get size(): number {
    return this.count;
  }

  /** A map equal to this one; writes to either never show in the other. */
  fork(): PersistentMap<V> {
    this.owner = nextOwner();
    const copy = new PersistentMap<V>(this.root);
    copy.count = this.count;
    return copy;
  }

  get(key: string): V | undefined {
    let node: Branch<V> | Leaf<V> | undefined = this.root;
    const hash = hashOf(key);
    for (let level = 0; level < LEVELS && node !== undefined; level += 1)
      node = (node as Branch<V>).slots[slotAt(hash, level)];
    const pair = (node as Leaf<V> | undefined)?.pairs.find(([k]) => k === key);
    return pair?.[1];
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): void {
    const leaf = this.writableLeaf(key);
    const at = leaf.pairs.findIndex(([k]) => k === key);
    if (at < 0) {
      leaf.pairs.push([key, value]);
      this.count += 1;
    } else leaf.pairs[at] = [key, value];
  }

  delete(key: string): void {
    if (this.get(key) === undefined) return;
    const leaf = this.writableLeaf(key);
    leaf.pairs = leaf.pairs.filter(([k]) => k !== key);
    this.count -= 1;
  }

  *entries(): IterableIterator<[string, V]> {
    yield* walk(this.root, 0);
  }

  *values(): IterableIterator<V> {
    for (const [, value] of walk(this.root, 0)) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  private writableLeaf(key: string): Leaf<V> {
    const hash = hashOf(key);
    if (this.root.owner !== this.owner)
      this.root = { owner: this.owner, slots: [...this.root.slots] };
    let branch = this.root;
    for (let level = 0; level < LEVELS - 1; level += 1) {
      const slot = slotAt(hash, level);
      const child = branch.slots[slot] as Branch<V> | undefined;
      const next =
        child === undefined
          ? { owner: this.owner, slots: [] }
          : child.owner === this.owner
            ? child
            : { owner: this.owner, slots: [...child.slots] };
      branch.slots[slot] = next;
      branch = next;
    }
    const slot = slotAt(hash, LEVELS - 1);
    const leaf = branch.slots[slot] as Leaf<V> | undefined;
    const writable =
      leaf === undefined
        ? { owner: this.owner, pairs: [] }
        : leaf.owner === this.owner
          ? leaf
          : { owner: this.owner, pairs: [...leaf.pairs] };
    branch.slots[slot] = writable;
    return writable;
  }
}

function* walk<V>(node: Branch<V> | Leaf<V>, level: number): IterableIterator<[string, V]> {
  if (level === LEVELS) {
    for (const pair of (node as Leaf<V>).pairs) yield pair;
    return;
  }
  for (const child of (node as Branch<V>).slots)
    if (child !== undefined) yield* walk(child, level + 1);
}
