import type { SASLOptions } from 'kafkajs';
import type { SecurityOptions } from '../security/security-options';
import type { SaslMechanism } from '../security/sasl-exchange';
import { KafkaTestKit } from './kafka-test-kit';

/** Users of the security specs; `admin` is a super user, the others get what each test grants. */
export const USERS = {
  admin: 'admin-secret',
  alice: 'alice-secret',
  bob: 'bob-secret',
} as const;
export type TestUser = keyof typeof USERS;

/** Topic and group names starting with this are alice's (see {@link TEST_SECURITY}). */
export const ALICE_PREFIX = 'alice-';

/**
 * SASL with every mechanism, `admin` a super user, and alice allowed everything on topics and
 * groups named `alice-…`. Bob has no ACL: whatever a test wants him to have, it grants him.
 */
export const TEST_SECURITY: SecurityOptions = {
  sasl: { users: Object.entries(USERS).map(([username, password]) => ({ username, password })) },
  superUsers: ['User:admin'],
  acls: [
    {
      resourceType: 'TOPIC',
      resourceName: ALICE_PREFIX,
      patternType: 'PREFIXED',
      principal: 'User:alice',
      operation: 'ALL',
    },
    {
      resourceType: 'GROUP',
      resourceName: ALICE_PREFIX,
      patternType: 'PREFIXED',
      principal: 'User:alice',
      operation: 'ALL',
    },
  ],
};

/** kafkajs SASL settings for one of {@link USERS}, or with a wrong password. */
export function saslOf(
  user: TestUser,
  mechanism: SaslMechanism = 'SCRAM-SHA-256',
  password: string = USERS[user],
): SASLOptions {
  const lower = mechanism.toLowerCase() as 'plain' | 'scram-sha-256' | 'scram-sha-512';
  return { mechanism: lower, username: user, password };
}

/** A kit whose clients authenticate as `user`; disconnect it with `disconnectAll`. */
export function kitAs(
  brokers: string[],
  user: TestUser,
  mechanism: SaslMechanism = 'SCRAM-SHA-256',
  password?: string,
): KafkaTestKit {
  return new KafkaTestKit(brokers, { sasl: saslOf(user, mechanism, password) });
}
