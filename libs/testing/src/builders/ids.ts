import { v7 as uuidv7 } from 'uuid';

/** A fresh UUID v7, as services assign to new entities. */
export function newId(): string {
  return uuidv7();
}

let lotSequence = 0;

/** A fresh MIL-STD-1168 style lot number of Rheinmetall's March 2026 production. */
export function nextLotNumber(): string {
  lotSequence = (lotSequence % 999) + 1;
  return `RHM26C001-${String(lotSequence).padStart(3, '0')}`;
}
