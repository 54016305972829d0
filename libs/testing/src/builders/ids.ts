import { v7 as uuidv7 } from 'uuid';

/** A fresh UUID v7, as a service mints when a POST leaves the id to it. */
export function newId(): string {
  return uuidv7();
}

let lotSequence = 0;

/**
 * A fresh MIL-STD-1168 style lot number of Rheinmetall's March 2026 production. Lot ids are
 * opaque to the contracts (any entity id will do); this form is what real producers send. The
 * interfix counts up once the three-digit sequence is used, so a run never repeats a number.
 */
export function nextLotNumber(): string {
  const index = lotSequence++;
  const interfix = (Math.floor(index / 999) % 999) + 1;
  const sequence = (index % 999) + 1;
  return `RHM26C${String(interfix).padStart(3, '0')}-${String(sequence).padStart(3, '0')}`;
}
