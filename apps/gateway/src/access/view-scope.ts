import { describeRole, Role } from '@tracker/config';

/**
 * What a token sees, in one sentence for the dashboard (`GET /v1/me`): `full` for admin and ops,
 * who see every value whole; `own` for a party, who sees its own facts whole and everyone
 * else's public picture (libs/read-model/src/viewer-scope.ts).
 */
export interface ViewScope {
  /** The role as `AUTH_TOKENS` writes it: `donor:DE`. */
  readonly role: string;
  readonly view: 'full' | 'own';
  readonly description: string;
}

const PUBLIC_REST = "everyone else's public picture";

/** The {@link ViewScope} of a role. */
export function viewScopeOf(role: Role): ViewScope {
  const name = describeRole(role);
  switch (role.kind) {
    case 'admin':
      return { role: name, view: 'full', description: 'Admin: everything' };
    case 'ops':
      return { role: name, view: 'full', description: 'Operations: everything (read only)' };
    case 'donor':
      return {
        role: name,
        view: 'own',
        description: `Donor ${role.country}: your pledges and their operations in full; ${PUBLIC_REST}`,
      };
    case 'recipient':
      return {
        role: name,
        view: 'own',
        description: `Recipient ${role.country}: the pledges to you and their operations in full; ${PUBLIC_REST}`,
      };
    case 'producer':
      return {
        role: name,
        view: 'own',
        description: `Producer ${role.org}: the alerts and events about your own lots and shipments; ${PUBLIC_REST}`,
      };
  }
}
