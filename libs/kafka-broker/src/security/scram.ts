import {
  createHash,
  createHmac,
  pbkdf2,
  pbkdf2Sync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** The SCRAM mechanisms of KIP-84 and their hash functions (RFC 5802, RFC 7677). */
export const SCRAM_HASHES = { 'SCRAM-SHA-256': 'sha256', 'SCRAM-SHA-512': 'sha512' } as const;
export type ScramMechanism = keyof typeof SCRAM_HASHES;
export type ScramHash = (typeof SCRAM_HASHES)[ScramMechanism];

/** Kafka's default and minimum iteration count for SCRAM credentials. */
export const DEFAULT_SCRAM_ITERATIONS = 4096;

const KEY_LENGTH: Readonly<Record<ScramHash, number>> = { sha256: 32, sha512: 64 };

/**
 * What the broker keeps of a password (RFC 5802 §3): StoredKey lets it check a client's proof,
 * ServerKey lets it prove itself; neither lets anyone log in as the user.
 */
export interface ScramCredential {
  readonly hash: ScramHash;
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

function hmac(hash: ScramHash, key: Buffer, text: string | Buffer): Buffer {
  return createHmac(hash, key).update(text).digest();
}

function digest(hash: ScramHash, data: Buffer): Buffer {
  return createHash(hash).update(data).digest();
}

function credentialOf(
  hash: ScramHash,
  salt: Buffer,
  iterations: number,
  salted: Buffer,
): ScramCredential {
  const clientKey = hmac(hash, salted, 'Client Key');
  return {
    hash,
    salt,
    iterations,
    storedKey: digest(hash, clientKey),
    serverKey: hmac(hash, salted, 'Server Key'),
  };
}

/**
 * Derives a credential from a password with PBKDF2 (Hi() of RFC 5802). Synchronous: it runs
 * once per user when the broker starts. The password is used as given (no SASLprep), as Kafka's
 * ScramFormatter does.
 */
export function deriveScramCredential(
  hash: ScramHash,
  password: string,
  iterations = DEFAULT_SCRAM_ITERATIONS,
  salt: Buffer = randomBytes(24),
): ScramCredential {
  const salted = pbkdf2Sync(
    Buffer.from(password, 'utf8'),
    salt,
    iterations,
    KEY_LENGTH[hash],
    hash,
  );
  return credentialOf(hash, salt, iterations, salted);
}

/**
 * Whether `password` is the one a credential was derived from (for SASL/PLAIN, which sends the
 * password itself): the same derivation, off the event loop, compared in constant time.
 */
export async function passwordMatches(
  credential: ScramCredential,
  password: string,
): Promise<boolean> {
  const { hash, salt, iterations } = credential;
  const salted = await pbkdf2Async(
    Buffer.from(password, 'utf8'),
    salt,
    iterations,
    KEY_LENGTH[hash],
    hash,
  );
  return timingSafeEqual(
    credentialOf(hash, salt, iterations, salted).storedKey,
    credential.storedKey,
  );
}

/**
 * Checks a client proof (RFC 5802 §3): ClientKey = proof XOR HMAC(StoredKey, AuthMessage) must
 * hash to StoredKey. Compared in constant time so the answer's timing says nothing of the key.
 */
export function verifyClientProof(
  credential: ScramCredential,
  authMessage: string,
  proof: Buffer,
): boolean {
  const signature = hmac(credential.hash, credential.storedKey, authMessage);
  if (proof.length !== signature.length) return false;
  const clientKey = Buffer.alloc(proof.length);
  for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i] ^ signature[i];
  return timingSafeEqual(digest(credential.hash, clientKey), credential.storedKey);
}

/** ServerSignature = HMAC(ServerKey, AuthMessage), sent in server-final-message as `v=`. */
export function serverSignature(credential: ScramCredential, authMessage: string): Buffer {
  return hmac(credential.hash, credential.serverKey, authMessage);
}
