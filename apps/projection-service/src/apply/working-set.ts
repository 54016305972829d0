import type { DocKind, StoredDoc } from '@tracker/read-model';
import type { Cause } from '@tracker/read-model';
import { canonicalJson } from './canonical-json';

/** A document of the batch: as loaded, and as folded so far. */
export interface WorkingDoc<T = unknown> {
  readonly key: string;
  readonly kind: DocKind;
  /** The id after `<kind>:`. */
  readonly id: string;
  readonly rev: string;
  readonly before: T;
  after: T;
  readonly storedDoc: string | null;
  readonly storedValue: string | null;
  /** The last event of the batch that changed the document. */
  cause?: Cause;
}

/**
 * The documents one batch reads and changes. Documents are decoded once, folded in memory and
 * compared with what was loaded, so the step writes only what really changed.
 */
export class WorkingSet {
  private readonly docs = new Map<string, WorkingDoc>();
  private readonly changed = new Set<string>();

  constructor(private readonly loaded: ReadonlyMap<string, StoredDoc>) {}

  /** The document under `key`, decoded (or `empty` when it does not exist yet). */
  get<T>(kind: DocKind, id: string, empty: T): WorkingDoc<T> {
    const key = `${kind}:${id}`;
    let doc = this.docs.get(key) as WorkingDoc<T> | undefined;
    if (doc === undefined) {
      const stored = this.loaded.get(key);
      if (stored === undefined) throw new Error(`document ${key} was not loaded for this batch`);
      const before = stored.doc === null ? empty : (JSON.parse(stored.doc) as T);
      doc = {
        key,
        kind,
        id,
        rev: stored.rev,
        before,
        after: before,
        storedDoc: stored.doc,
        storedValue: stored.value,
      };
      this.docs.set(key, doc);
    }
    return doc;
  }

  /**
   * A document's facts as folded so far; undefined when it does not exist (and no event of the
   * batch created it) or was not loaded for the batch.
   */
  known<T>(kind: DocKind, id: string): T | undefined {
    const key = `${kind}:${id}`;
    const doc = this.docs.get(key) as WorkingDoc<T> | undefined;
    if (doc !== undefined) return doc.after;
    const stored = this.loaded.get(key);
    if (stored === undefined || stored.doc === null) return undefined;
    return this.get(kind, id, undefined as T).after;
  }

  /**
   * A document's facts as loaded for the batch, before any of its events: null when it does not
   * exist, undefined when it was not loaded. Decoded once per batch, shared with {@link get}.
   */
  loadedFacts<T>(kind: DocKind, id: string): T | null | undefined {
    const key = `${kind}:${id}`;
    const doc = this.docs.get(key) as WorkingDoc<T> | undefined;
    if (doc !== undefined) return doc.storedDoc === null ? null : doc.before;
    const stored = this.loaded.get(key);
    if (stored === undefined) return undefined;
    if (stored.doc === null) return null;
    return this.get(kind, id, undefined as T).before;
  }

  /** Folds a change into a document and remembers what caused it. */
  update<T>(kind: DocKind, id: string, empty: T, change: (facts: T) => T, cause: Cause): void {
    const doc = this.get(kind, id, empty);
    doc.after = change(doc.after);
    doc.cause = cause;
    this.changed.add(doc.key);
  }

  /** Every document an event changed (in the order they were first changed). */
  changedDocs(kind: DocKind): WorkingDoc[] {
    return [...this.changed]
      .map((key) => this.docs.get(key) as WorkingDoc)
      .filter((doc) => doc.kind === kind);
  }

  /** The canonical JSON of a document's facts, and whether it differs from what is stored. */
  serialized(doc: WorkingDoc): { json: string; changed: boolean } {
    const json = canonicalJson(doc.after);
    return { json, changed: json !== doc.storedDoc };
  }
}
