import { describeRole, Role } from '@tracker/config';
import { Forbidden } from '@tracker/errors';

/** A producer writes only its own organisation's capacity, lots and allocations; admins any. */
export function checkProducerScope(role: Role, manufacturer: string, what: string): void {
  if (role.kind === 'admin') return;
  if (role.kind === 'producer' && role.org === manufacturer) return;
  throw new Forbidden(`A ${describeRole(role)} token cannot write ${what} of ${manufacturer}`);
}

/** A nation (its donor or recipient token) reports only its own stockpiles; admins any. */
export function checkNationScope(role: Role, nation: string): void {
  if (role.kind === 'admin') return;
  if ((role.kind === 'donor' || role.kind === 'recipient') && role.country === nation) return;
  throw new Forbidden(`A ${describeRole(role)} token cannot report stockpiles of ${nation}`);
}
