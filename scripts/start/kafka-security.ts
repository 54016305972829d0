import { randomBytes } from 'node:crypto';
import { describeRole, firstTokenByRole, Role, SERVICE_PORTS, ServiceName } from '@tracker/config';
import { inboundShipmentsTopic, TOPICS } from '@tracker/contracts';
import type { AclBinding, SecurityOptions } from '@tracker/kafka-broker';

/**
 * Who may do what on Kafka (DESIGN.md §4a), as the embedded broker's SASL users and ACLs,
 * derived from the one list of parties there is: `AUTH_TOKENS`. A party's Kafka user is its role
 * string and its password its token; each service has a user of its own. docker/kafka-acls.sh
 * writes the same rules for an Apache Kafka cluster.
 */

/** A Kafka user name and password. */
export interface KafkaCredential {
  readonly username: string;
  readonly password: string;
}

export type ServiceCredentials = Readonly<Record<ServiceName, KafkaCredential>>;

/** The mechanism the launcher's services log in with. */
export const SERVICE_SASL_MECHANISM = 'scram-sha-512';

/** The contract topics `ops` (and integrators acting as it) may read. */
const READABLE_TOPICS = [
  TOPICS.pledges,
  TOPICS.production,
  TOPICS.shipments,
  TOPICS.stockpiles,
  TOPICS.alerts,
];

/** A fresh password for each service's own Kafka user (`service:<name>`). */
export function generateServiceCredentials(): ServiceCredentials {
  const names = Object.keys(SERVICE_PORTS) as ServiceName[];
  return Object.fromEntries(
    names.map((service) => [
      service,
      { username: `service:${service}`, password: randomBytes(24).toString('base64url') },
    ]),
  ) as Record<ServiceName, KafkaCredential>;
}

/**
 * One Kafka user per role of `AUTH_TOKENS`: the role string, with the first token listed for it
 * (SCRAM keeps one credential per user; PLAIN and SCRAM share it).
 */
export function partyCredentials(tokens: ReadonlyMap<string, Role>): KafkaCredential[] {
  return [...firstTokenByRole(tokens)].map(([username, password]) => ({ username, password }));
}

const allow = (
  principal: string,
  resourceType: AclBinding['resourceType'],
  resourceName: string,
  operation: AclBinding['operation'],
  patternType: AclBinding['patternType'] = 'LITERAL',
): AclBinding => ({ principal, resourceType, resourceName, operation, patternType });

const CLUSTER = 'kafka-cluster';

/**
 * The broker's security: SASL with every mechanism, `admin` a super user, and ACLs:
 * - each service: everything on topics `<prefix>tracker.*` and groups `<groupPrefix>*`, and
 *   idempotent writes, topic creation and describing on the cluster;
 * - `producer:<org>`: write (and create, describe) only `tracker.inbound.<org>.shipments.v1`;
 * - `ops`: read the contract topics, in groups named `ops.*`;
 * - anyone else (donors, recipients, unknown users): nothing.
 */
export function trackerKafkaSecurity(
  tokens: ReadonlyMap<string, Role>,
  services: ServiceCredentials,
  names: { topicPrefix?: string; groupPrefix?: string } = {},
): SecurityOptions {
  const topicPrefix = names.topicPrefix ?? '';
  const groupPrefix = names.groupPrefix ?? 'tracker';
  const acls: AclBinding[] = [];
  for (const { username } of Object.values(services)) {
    const principal = `User:${username}`;
    acls.push(
      allow(principal, 'TOPIC', `${topicPrefix}tracker.`, 'ALL', 'PREFIXED'),
      allow(principal, 'GROUP', groupPrefix, 'ALL', 'PREFIXED'),
      ...(['IDEMPOTENT_WRITE', 'CREATE', 'DESCRIBE', 'DESCRIBE_CONFIGS'] as const).map(
        (operation) => allow(principal, 'CLUSTER', CLUSTER, operation),
      ),
    );
  }
  const roles = new Map([...tokens.values()].map((role) => [describeRole(role), role]));
  for (const [username, role] of roles) {
    const principal = `User:${username}`;
    if (role.kind === 'producer') {
      const topic = `${topicPrefix}${inboundShipmentsTopic(role.org)}`;
      acls.push(
        ...(['WRITE', 'DESCRIBE', 'CREATE'] as const).map((operation) =>
          allow(principal, 'TOPIC', topic, operation),
        ),
        allow(principal, 'CLUSTER', CLUSTER, 'IDEMPOTENT_WRITE'),
      );
    }
    if (role.kind === 'ops') {
      for (const topic of READABLE_TOPICS) {
        acls.push(
          allow(principal, 'TOPIC', `${topicPrefix}${topic}`, 'READ'),
          allow(principal, 'TOPIC', `${topicPrefix}${topic}`, 'DESCRIBE'),
        );
      }
      acls.push(allow(principal, 'GROUP', 'ops.', 'READ', 'PREFIXED'));
    }
  }
  return {
    sasl: { users: [...partyCredentials(tokens), ...Object.values(services)] },
    superUsers: ['User:admin'],
    acls,
    allowEveryoneIfNoAclFound: false,
  };
}
