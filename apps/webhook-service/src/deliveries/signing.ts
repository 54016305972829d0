import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of a signing secret as the Standard Webhooks specification writes it. */
const SECRET_PREFIX = 'whsec_';
/** Bytes of a new secret's key: the specification asks for 24 to 64. */
const SECRET_BYTES = 32;

/** A new signing secret: `whsec_` and 32 random bytes in base64. */
export function newSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The HMAC key of a secret: the bytes its base64 part encodes. */
function keyOf(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX))
    throw new RangeError('a signing secret starts with whsec_');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/**
 * `webhook-signature` of one delivery (Standard Webhooks, version 1): `v1,` and the base64
 * HMAC-SHA256, keyed by the secret, of `<webhook-id>.<webhook-timestamp>.<body>`, the body
 * exactly as sent.
 */
export function signDelivery(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  const mac = createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

/**
 * Whether a `webhook-signature` header (space-separated `v<n>,<base64>` entries) holds a `v1`
 * signature of the delivery; compared in constant time. What a receiver does, here for tests
 * and the README's example.
 */
export function verifyDelivery(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
  header: string,
): boolean {
  const expected = Buffer.from(signDelivery(secret, id, timestampSeconds, body));
  return header
    .split(' ')
    .map((entry) => Buffer.from(entry))
    .some((entry) => entry.length === expected.length && timingSafeEqual(entry, expected));
}
