// The Core Business Vocabulary (CBV 2.0) values the tracker understands, and the identifier forms
// it reads: CBV values come bare (`shipping`), as URNs (`urn:epcglobal:cbv:bizstep:shipping`) or
// as Web URIs (`https://ref.gs1.org/cbv/BizStep-shipping`, compacted `cbv:BizStep-shipping`);
// every form is reduced to the bare code before the mapper looks at it.

/** CBV vocabularies with the URN and Web URI prefixes of their values. */
const VOCABULARIES = {
  bizStep: { urn: 'urn:epcglobal:cbv:bizstep:', web: 'BizStep-' },
  disposition: { urn: 'urn:epcglobal:cbv:disp:', web: 'Disp-' },
  bizTransactionType: { urn: 'urn:epcglobal:cbv:btt:', web: 'BTT-' },
  sourceDestType: { urn: 'urn:epcglobal:cbv:sdt:', web: 'SDT-' },
} as const;
export type Vocabulary = keyof typeof VOCABULARIES;

const WEB_PREFIXES = ['https://ref.gs1.org/cbv/', 'http://ref.gs1.org/cbv/', 'cbv:', 'gs1:'];

/**
 * The bare CBV code of `value` (`urn:epcglobal:cbv:bizstep:shipping` → `shipping`); a value of
 * no CBV form (a private URI such as `urn:tracker:btt:pledge`) is returned as it is.
 */
export function cbvCode(vocabulary: Vocabulary, value: string): string {
  const { urn, web } = VOCABULARIES[vocabulary];
  if (value.startsWith(urn)) return value.slice(urn.length);
  for (const prefix of WEB_PREFIXES) {
    if (value.startsWith(prefix + web)) return value.slice(prefix.length + web.length);
  }
  return value;
}

/** The business steps the tracker maps (README, "EPCIS 2.0 capture"). */
export const MAPPED_BIZ_STEPS = [
  'shipping',
  'departing',
  'arriving',
  'receiving',
  'inspecting',
  'destroying',
] as const;

/** Dispositions that judge goods at receipt: accepted (conformant) or rejected, and why. */
export const JUDGEMENTS = {
  conformant: undefined,
  non_conformant: 'quality',
  damaged: 'damaged',
} as const;
export type Judgement = keyof typeof JUDGEMENTS;

export function isJudgement(disposition: string | undefined): disposition is Judgement {
  return disposition !== undefined && Object.hasOwn(JUDGEMENTS, disposition);
}

/** Dispositions that end goods on the way: a loss. */
export const LOSS_DISPOSITIONS = ['stolen', 'destroyed'] as const;

/** The tracker's business transaction type naming the pledge a shipment is for. */
export const PLEDGE_BTT = 'urn:tracker:btt:pledge';
/** CBV's despatch advice: its value names the shipment (the tracker's shipment id). */
export const DESPATCH_ADVICE_BTT = 'desadv';

/** Private URN prefixes of the tracker's own ids, accepted where a URI is expected. */
export const TRACKER_URNS = {
  pledge: 'urn:tracker:pledge:',
  shipment: 'urn:tracker:shipment:',
  lot: 'urn:tracker:lot:',
  item: 'urn:tracker:item:',
  producer: 'urn:tracker:producer:',
} as const;

/** Units of measure that mean "a count of units", the tracker's only kind of quantity. */
export const COUNT_UNITS: ReadonlySet<string> = new Set(['EA', 'H87', 'C62']);

/** The extension field of an `arriving` event naming the milestone reached. */
export const MILESTONE_EXTENSION = 'tracker:milestone';

/** What a class-level `epcClass` tells: a lot (the tracker's lot id), an item code, or neither. */
export type EpcClassMeaning =
  | { readonly kind: 'lot'; readonly lotId: string }
  | { readonly kind: 'item'; readonly itemCode: string }
  | { readonly kind: 'other' };

const LGTIN_URN = /^urn:epc:class:lgtin:[0-9]+\.[0-9]+\.(.+)$/;
const LGTIN_DIGITAL_LINK = /^https?:\/\/[^/]+\/(?:.+\/)?01\/[0-9]{14}\/10\/([^/?#]+)/;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Reads an `epcClass`: an LGTIN (`urn:epc:class:lgtin:4012345.012345.LOT-7` or the Digital Link
 * `https://id.gs1.org/01/04012345123456/10/LOT-7`) whose lot part is the tracker's lot id,
 * `urn:tracker:lot:<lotId>`, `urn:tracker:item:<ITEM-CODE>`; anything else counts units only.
 */
export function epcClassMeaning(epcClass: string): EpcClassMeaning {
  const lgtin = LGTIN_URN.exec(epcClass) ?? LGTIN_DIGITAL_LINK.exec(epcClass);
  if (lgtin) return { kind: 'lot', lotId: decoded(lgtin[1]) };
  if (epcClass.startsWith(TRACKER_URNS.lot)) {
    return { kind: 'lot', lotId: epcClass.slice(TRACKER_URNS.lot.length) };
  }
  if (epcClass.startsWith(TRACKER_URNS.item)) {
    return { kind: 'item', itemCode: epcClass.slice(TRACKER_URNS.item.length) };
  }
  return { kind: 'other' };
}

/** `urn:tracker:pledge:P-1` → `P-1` for `prefix` `urn:tracker:pledge:`; a bare id as it is. */
export function trackerId(value: string, prefix: string): string {
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}
