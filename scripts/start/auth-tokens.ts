import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authTokensSchema, describeRole } from '@tracker/config';
import { demoParties } from '../demo/scenario';

/** What the launcher did about `AUTH_TOKENS`. */
export interface ProvidedTokens {
  /** The admin token, when the launcher made the tokens (else the environment's own). */
  readonly adminToken?: string;
  /** A producer's role and token, to show how a producer system connects. */
  readonly producerExample?: { readonly role: string; readonly token: string };
  /** Where the generated tokens are kept. */
  readonly file?: string;
}

/** The file, in the data folder, that keeps the tokens the launcher generated. */
export const TOKENS_FILE = 'auth-tokens';

/**
 * `AUTH_TOKENS` for this run: the environment's when set; else the tokens generated for this
 * data folder on an earlier run; else new ones — one for admin, ops and every party the demo
 * story acts as — kept in `<dataRoot>/auth-tokens` (owner-only) so that the admin token, and the
 * demo's replayed idempotency keys (scoped to each party's token), survive a restart.
 * `npm run reset` deletes the file with the rest of the data.
 */
export function provideAuthTokens(env: NodeJS.ProcessEnv, dataRoot: string): ProvidedTokens {
  if (env.AUTH_TOKENS) return {};
  const file = join(dataRoot, TOKENS_FILE);
  if (!existsSync(file)) {
    const roles = ['admin', 'ops', ...demoParties()];
    const entries = roles.map((role) => `${randomBytes(18).toString('base64url')}=${role}`);
    writeFileSync(file, `${entries.join(',')}\n`, { mode: 0o600 });
  }
  env.AUTH_TOKENS = readFileSync(file, 'utf8').trim();
  const tokens = [...authTokensSchema.parse(env.AUTH_TOKENS)];
  const admin = tokens.find(([, role]) => role.kind === 'admin');
  const producer = tokens.find(([, role]) => role.kind === 'producer');
  return {
    adminToken: admin?.[0],
    producerExample: producer && { role: describeRole(producer[1]), token: producer[0] },
    file,
  };
}
