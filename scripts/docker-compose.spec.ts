// What docker/compose.yaml promises a user who runs the tracker as a cluster, checked without a
// Docker engine: the compose file is parsed (YAML merge keys resolved, ${VAR} filled from
// docker/.env.example as compose would), and the Kafka scripts run in their dry-run modes, which
// print what they would do (no broker needed, only sh). The test lives under scripts/ because
// jest's unit project and tsconfig.json look there, not under docker/.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { environmentSchema, SERVICE_PORTS, ServiceName } from '@tracker/config';
import { TOPICS } from '@tracker/contracts';

const DOCKER = join(__dirname, '..', 'docker');
const SERVICES = Object.keys(SERVICE_PORTS) as ServiceName[];
const CONTRACT_TOPICS = [
  TOPICS.pledges,
  TOPICS.production,
  TOPICS.shipments,
  TOPICS.stockpiles,
  TOPICS.alerts,
];

interface ComposeService {
  image?: string;
  hostname?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  deploy?: { replicas?: number };
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const composeText = readFileSync(join(DOCKER, 'compose.yaml'), 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};

/** KEY=VALUE lines of docker/.env.example. */
const envExample: Record<string, string> = Object.fromEntries(
  readFileSync(join(DOCKER, '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

/** Compose's interpolation: $$, ${VAR}, ${VAR:-default}, ${VAR:?error}. */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[-?])([^}]*))?\}/g,
    (match, name: string | undefined, operator: string | undefined, argument: string) => {
      if (name === undefined) return '$';
      const value = vars[name];
      if (value !== undefined && value !== '') return value;
      if (operator === ':-') return argument;
      if (operator === ':?') throw new Error(`${name} is required: ${argument}`);
      return '';
    },
  );
}

/** A service's environment as its process would see it with docker/.env filled like the example. */
function environmentOf(service: string): Record<string, string> {
  const environment = compose.services[service].environment ?? {};
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [
      key,
      interpolate(String(value), envExample),
    ]),
  );
}

const brokers = Object.entries(compose.services).filter(
  ([, service]) => service.image?.startsWith('apache/kafka:') && service.environment?.KAFKA_NODE_ID,
);
const brokerNames = brokers.map(([name]) => name);

function brokerSetting(broker: string, key: string): string {
  const value = compose.services[broker].environment?.[key];
  if (value === undefined) throw new Error(`${broker} does not set ${key}`);
  return String(value);
}

/** `NAME://host:port,...` → name → port. */
function listenerPorts(listeners: string): Map<string, number> {
  return new Map(
    listeners.split(',').map((listener) => {
      const [, name, port] = /^([A-Z_]+):\/\/[^:]*:(\d+)$/.exec(listener.trim()) ?? [];
      return [name, Number(port)];
    }),
  );
}

/** Runs a docker/ shell script with only the variables given (and PATH). */
function runScript(args: string[], env: Record<string, string>): string {
  return execFileSync('sh', args, {
    cwd: DOCKER,
    env: { PATH: process.env.PATH, TRACKER_KAFKA_LIB: join(DOCKER, 'kafka-lib.sh'), ...env },
    encoding: 'utf8',
    // stderr goes into the error's message when the script refuses.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('docker/compose.yaml: three Kafka nodes that keep working with one of them down', () => {
  it('runs three KRaft nodes, each broker and controller, with distinct ids', () => {
    expect(brokerNames).toHaveLength(3);
    const ids = brokerNames.map((broker) => Number(brokerSetting(broker, 'KAFKA_NODE_ID')));
    expect(new Set(ids).size).toBe(3);
    for (const broker of brokerNames) {
      expect(brokerSetting(broker, 'KAFKA_PROCESS_ROLES').split(',').sort()).toEqual([
        'broker',
        'controller',
      ]);
      expect(compose.services[broker].image).toMatch(/^apache\/kafka:[34]\.\d+\.\d+$/);
    }
  });

  it('has every node vote in one controller quorum made of exactly the three nodes', () => {
    const voters = new Set(
      brokerNames.map((broker) => brokerSetting(broker, 'KAFKA_CONTROLLER_QUORUM_VOTERS')),
    );
    expect(voters.size).toBe(1);
    const clusterIds = new Set(brokerNames.map((broker) => brokerSetting(broker, 'CLUSTER_ID')));
    expect(clusterIds.size).toBe(1);

    const quorum = [...voters][0].split(',').map((voter) => {
      const [, id, host, port] = /^(\d+)@([^:]+):(\d+)$/.exec(voter) ?? [];
      return { id: Number(id), host, port: Number(port) };
    });
    expect(quorum.map(({ id, host }) => [id, host]).sort()).toEqual(
      brokerNames.map((broker) => [Number(brokerSetting(broker, 'KAFKA_NODE_ID')), broker]).sort(),
    );
    for (const broker of brokerNames) {
      const controllerListener = brokerSetting(broker, 'KAFKA_CONTROLLER_LISTENER_NAMES');
      const port = listenerPorts(brokerSetting(broker, 'KAFKA_LISTENERS')).get(controllerListener);
      expect(quorum.find(({ host }) => host === broker)?.port).toBe(port);
      expect(compose.services[broker].hostname ?? broker).toBe(broker);
    }
  });

  it('keeps three copies of every partition and acknowledges an acks=all write once two hold it', () => {
    for (const broker of brokerNames) {
      expect(brokerSetting(broker, 'KAFKA_DEFAULT_REPLICATION_FACTOR')).toBe('3');
      expect(brokerSetting(broker, 'KAFKA_MIN_INSYNC_REPLICAS')).toBe('2');
      expect(brokerSetting(broker, 'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR')).toBe('3');
      expect(brokerSetting(broker, 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR')).toBe('3');
      expect(brokerSetting(broker, 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR')).toBe('2');
      expect(brokerSetting(broker, 'KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE')).toBe('false');
    }
  });

  it('never creates a topic because a client named it', () => {
    for (const broker of brokerNames) {
      expect(brokerSetting(broker, 'KAFKA_AUTO_CREATE_TOPICS_ENABLE')).toBe('false');
    }
  });

  it('asks for SASL on every listener, with SCRAM-SHA-512 and PLAIN where clients connect', () => {
    for (const broker of brokerNames) {
      const protocols = new Map(
        brokerSetting(broker, 'KAFKA_LISTENER_SECURITY_PROTOCOL_MAP')
          .split(',')
          .map((entry) => entry.split(':') as [string, string]),
      );
      const listeners = listenerPorts(brokerSetting(broker, 'KAFKA_LISTENERS'));
      for (const listener of listeners.keys()) {
        expect([listener, protocols.get(listener)]).toEqual([listener, 'SASL_PLAINTEXT']);
      }
      for (const listener of ['CLIENT', 'EXTERNAL']) {
        const mechanisms = brokerSetting(
          broker,
          `KAFKA_LISTENER_NAME_${listener}_SASL_ENABLED_MECHANISMS`,
        ).split(',');
        expect(mechanisms).toEqual(expect.arrayContaining(['SCRAM-SHA-512', 'PLAIN']));
      }
      // The services' bootstrap port is the CLIENT listener's, advertised under the node's name.
      expect(listeners.get('CLIENT')).toBe(9092);
      expect(brokerSetting(broker, 'KAFKA_ADVERTISED_LISTENERS')).toContain(
        `CLIENT://${broker}:9092`,
      );
    }
  });

  it('refuses whatever no ACL grants, but to the brokers themselves and admin', () => {
    for (const broker of brokerNames) {
      expect(brokerSetting(broker, 'KAFKA_AUTHORIZER_CLASS_NAME')).toBe(
        'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      );
      expect(brokerSetting(broker, 'KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND')).toBe('false');
      expect(brokerSetting(broker, 'KAFKA_SUPER_USERS').split(';').sort()).toEqual([
        'User:admin',
        'User:broker',
      ]);
    }
  });

  it('keeps each node’s log on a volume of its own', () => {
    const volumes = brokerNames.map((broker) =>
      (compose.services[broker].volumes ?? []).find((volume) =>
        volume.endsWith(`:${brokerSetting(broker, 'KAFKA_LOG_DIRS')}`),
      ),
    );
    expect(volumes.every(Boolean)).toBe(true);
    expect(new Set(volumes).size).toBe(3);
  });
});

describe('docker/compose.yaml: two replicas of each service, each its own Kafka user', () => {
  it('runs two replicas of each of the six services', () => {
    for (const service of SERVICES) {
      expect([service, compose.services[service]?.deploy?.replicas]).toEqual([service, 2]);
    }
  });

  it('logs each service in as service:<its name> with SCRAM-SHA-512 and a password of its own', () => {
    const passwords = SERVICES.map((service) => {
      const environment = compose.services[service].environment ?? {};
      expect([service, environment.KAFKA_SASL_USERNAME]).toEqual([service, `service:${service}`]);
      expect(environment.KAFKA_SASL_MECHANISM).toBe('scram-sha-512');
      return environment.KAFKA_SASL_PASSWORD;
    });
    expect(new Set(passwords).size).toBe(SERVICES.length);
  });

  it('gives every service all three brokers to bootstrap from', () => {
    const expected = brokerNames.map((broker) => `${broker}:9092`).sort();
    for (const service of SERVICES) {
      const listed = String(compose.services[service].environment?.KAFKA_BROKERS).split(',');
      expect([service, listed.sort()]).toEqual([service, expected]);
    }
  });

  it('has every service listen on the compose network, not on loopback only', () => {
    for (const service of SERVICES) {
      expect([service, compose.services[service].environment?.HOST]).toEqual([service, '0.0.0.0']);
    }
  });

  it('starts each service with an environment its configuration check accepts (.env.example filled in)', () => {
    for (const service of SERVICES) {
      const result = environmentSchema.safeParse(environmentOf(service));
      expect([service, result.success ? 'valid' : result.error.message]).toEqual([
        service,
        'valid',
      ]);
      expect(environmentOf(service).PORT).toBe(String(SERVICE_PORTS[service]));
    }
  });

  it('starts the services only after kafka-init has created users, topics and ACLs', () => {
    for (const service of SERVICES) {
      expect(compose.services[service].depends_on?.['kafka-init']).toEqual({
        condition: 'service_completed_successfully',
      });
    }
  });

  it('publishes the gateway once, through the load balancer, as two replicas cannot share a port', () => {
    for (const service of SERVICES) expect(compose.services[service].ports).toBeUndefined();
    const balancer = compose.services['gateway-lb'];
    expect(balancer.ports).toEqual(['${GATEWAY_HOST_PORT:-3000}:3000']);
    expect(balancer.volumes).toContain('./nginx.conf:/etc/nginx/nginx.conf:ro');
    const nginx = readFileSync(join(DOCKER, 'nginx.conf'), 'utf8');
    expect(nginx).toMatch(/server gateway:3000 resolve/);
    expect(nginx).toMatch(/listen 3000;/);
  });

  it('runs one Postgres and one Redis, each with a volume and a health check', () => {
    for (const name of ['postgres', 'redis']) {
      const service = compose.services[name];
      expect(service.deploy?.replicas ?? 1).toBe(1);
      expect(service.healthcheck?.test.length).toBeGreaterThan(0);
      const [volume] = (service.volumes ?? [])[0]?.split(':') ?? [];
      expect(compose.volumes).toHaveProperty(volume);
    }
  });

  it('runs the time-travel process the gateway forwards asOf and knownAt reads to', () => {
    const travel = compose.services['time-travel'];
    expect(travel.command).toContain('dist/apps/projection-service/src/time-travel/main.js');
    expect(travel.deploy?.replicas).toBe(2);
    const environment = environmentOf('time-travel');
    expect(environmentSchema.safeParse(environment).success).toBe(true);
    expect(environment.PORT).toBe('3006');
    expect(environment.KAFKA_SASL_USERNAME).toBe('service:projection-service');
    expect(environment.KAFKA_SASL_PASSWORD).toBe(
      environmentOf('projection-service').KAFKA_SASL_PASSWORD,
    );
    expect(environmentOf('gateway').TIME_TRAVEL_URL).toBe('http://time-travel:3006');
  });

  it('needs no variable that docker/.env.example does not set', () => {
    const required = [...composeText.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map(([, name]) => name);
    expect(required.length).toBeGreaterThan(0);
    for (const name of new Set(required)) {
      expect([name, envExample[name] !== undefined && envExample[name] !== '']).toEqual([
        name,
        true,
      ]);
    }
  });
});

interface AclRule {
  principals: string[];
  operations: string[];
  patternType: 'literal' | 'prefixed';
  resources: { type: 'topic' | 'group' | 'cluster'; name: string }[];
}

/** The `kafka-acls.sh --add ...` lines of the script's dry run, as rules. */
function parseAcls(output: string): AclRule[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('kafka-acls.sh --add '))
    .map((line) => {
      const words = line.split(/\s+/).slice(2);
      const rule: AclRule = {
        principals: [],
        operations: [],
        patternType: 'literal',
        resources: [],
      };
      for (let i = 0; i < words.length; i++) {
        const flag = words[i];
        if (flag === '--cluster') {
          rule.resources.push({ type: 'cluster', name: 'kafka-cluster' });
          continue;
        }
        const value = words[++i];
        if (flag === '--allow-principal') rule.principals.push(value);
        else if (flag === '--operation') rule.operations.push(value);
        else if (flag === '--resource-pattern-type')
          rule.patternType = value as AclRule['patternType'];
        else if (flag === '--topic') rule.resources.push({ type: 'topic', name: value });
        else if (flag === '--group') rule.resources.push({ type: 'group', name: value });
        else throw new Error(`unexpected ${flag} in: ${line}`);
      }
      return rule;
    });
}

/** Kafka's rule: Read, Write, Delete, Alter imply Describe; All implies everything. */
function grants(operations: string[], operation: string): boolean {
  if (operations.includes('All') || operations.includes(operation)) return true;
  return (
    operation === 'Describe' &&
    operations.some((granted) => ['Read', 'Write', 'Delete', 'Alter'].includes(granted))
  );
}

const PRODUCER_ORGS = 'rheinmetall,nammo';
const acls = parseAcls(
  runScript(['kafka-acls.sh'], { KAFKA_ACLS_DRY_RUN: '1', PRODUCER_ORGS: PRODUCER_ORGS }),
);

/** Whether the ACLs (super users aside) allow `principal` the operation on the resource. */
function allowed(
  principal: string,
  operation: string,
  type: 'topic' | 'group' | 'cluster',
  name = 'kafka-cluster',
): boolean {
  return acls.some(
    (rule) =>
      rule.principals.includes(`User:${principal}`) &&
      grants(rule.operations, operation) &&
      rule.resources.some(
        (resource) =>
          resource.type === type &&
          (rule.patternType === 'prefixed'
            ? name.startsWith(resource.name)
            : resource.name === name),
      ),
  );
}

const EVERY_TOPIC = [
  ...Object.values(TOPICS).filter((topic) => topic !== TOPICS.inboundShipments),
  'tracker.inbound.rheinmetall.shipments.v1',
  'tracker.inbound.nammo.shipments.v1',
];

describe('docker/kafka-acls.sh: who may do what on the cluster', () => {
  it('lets a producer organisation write and describe its own inbound topic, and nothing else', () => {
    const own = 'tracker.inbound.rheinmetall.shipments.v1';
    expect(allowed('producer:rheinmetall', 'Write', 'topic', own)).toBe(true);
    expect(allowed('producer:rheinmetall', 'Describe', 'topic', own)).toBe(true);
    expect(allowed('producer:rheinmetall', 'IdempotentWrite', 'cluster')).toBe(true);
    expect(allowed('producer:rheinmetall', 'Read', 'topic', own)).toBe(false);
    for (const topic of EVERY_TOPIC.filter((name) => name !== own)) {
      for (const operation of ['Read', 'Write', 'Describe', 'Create']) {
        expect([
          topic,
          operation,
          allowed('producer:rheinmetall', operation, 'topic', topic),
        ]).toEqual([topic, operation, false]);
      }
    }
    expect(
      allowed('producer:rheinmetall', 'Read', 'group', 'tracker.shipment-service.inbound'),
    ).toBe(false);

    // Written down: every rule naming a producer is its own literal topic or the cluster.
    for (const rule of acls.filter((r) =>
      r.principals.some((p) => p.startsWith('User:producer:')),
    )) {
      expect(rule.principals).toHaveLength(1);
      const org = rule.principals[0].slice('User:producer:'.length);
      for (const resource of rule.resources) {
        expect(
          resource.type === 'cluster'
            ? rule.operations
            : [resource.type, rule.patternType, resource.name],
        ).toEqual(
          resource.type === 'cluster'
            ? ['IdempotentWrite']
            : ['topic', 'literal', `tracker.inbound.${org}.shipments.v1`],
        );
      }
    }
  });

  it('gives each organisation of PRODUCER_ORGS its own grant', () => {
    for (const org of PRODUCER_ORGS.split(',')) {
      expect(
        allowed(`producer:${org}`, 'Write', 'topic', `tracker.inbound.${org}.shipments.v1`),
      ).toBe(true);
    }
  });

  it('lets each service do everything on tracker.* topics and in tracker* groups, with idempotent writes', () => {
    for (const service of SERVICES) {
      const principal = `service:${service}`;
      for (const topic of EVERY_TOPIC) {
        for (const operation of ['Read', 'Write', 'Describe', 'Create']) {
          expect(allowed(principal, operation, 'topic', topic)).toBe(true);
        }
      }
      expect(allowed(principal, 'Read', 'group', `tracker.${service}.main`)).toBe(true);
      for (const operation of ['IdempotentWrite', 'Create', 'Describe', 'DescribeConfigs']) {
        expect(allowed(principal, operation, 'cluster')).toBe(true);
      }
      expect(allowed(principal, 'Alter', 'cluster')).toBe(false);
      expect(allowed(principal, 'Read', 'topic', '__consumer_offsets')).toBe(false);
    }
  });

  it('lets ops read the five contract topics in ops.* groups, and nothing else', () => {
    for (const topic of EVERY_TOPIC) {
      const contract = (CONTRACT_TOPICS as string[]).includes(topic);
      expect([topic, allowed('ops', 'Read', 'topic', topic)]).toEqual([topic, contract]);
      expect(allowed('ops', 'Write', 'topic', topic)).toBe(false);
    }
    expect(allowed('ops', 'Read', 'group', 'ops.alerts-watch')).toBe(true);
    expect(allowed('ops', 'Read', 'group', 'tracker.projection-service')).toBe(false);
    expect(allowed('ops', 'IdempotentWrite', 'cluster')).toBe(false);
    // admin holds the same grant, written down although it is a super user.
    for (const topic of CONTRACT_TOPICS)
      expect(allowed('admin', 'Read', 'topic', topic)).toBe(true);
  });

  it('grants nothing to anyone else: no wildcard principal, nothing for a donor or recipient', () => {
    const principals = new Set(acls.flatMap((rule) => rule.principals));
    expect([...principals].filter((principal) => principal.includes('*'))).toEqual([]);
    expect([...principals].sort()).toEqual(
      [
        'User:admin',
        'User:ops',
        'User:producer:nammo',
        'User:producer:rheinmetall',
        ...SERVICES.map((service) => `User:service:${service}`),
      ].sort(),
    );
    for (const stranger of ['donor:UA', 'recipient:UA', 'producer:unlisted', 'ANONYMOUS']) {
      for (const topic of EVERY_TOPIC) {
        expect(allowed(stranger, 'Read', 'topic', topic)).toBe(false);
        expect(allowed(stranger, 'Write', 'topic', topic)).toBe(false);
      }
    }
  });

  it('refuses an organisation name that is not a producer:<org> role', () => {
    expect(() =>
      runScript(['kafka-acls.sh'], { KAFKA_ACLS_DRY_RUN: '1', PRODUCER_ORGS: 'Acme Corp' }),
    ).toThrow(/PRODUCER_ORGS/);
  });
});

describe('docker/kafka-lib.sh: users and topics kafka-init creates', () => {
  const lib = (call: string) =>
    runScript(['-c', `. ./kafka-lib.sh && ${call}`], { ...envExample, PRODUCER_ORGS });

  it('creates every topic of the contracts and one inbound topic per producer organisation', () => {
    const plan = lib('topic_plan')
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[0]);
    expect(plan.sort()).toEqual(EVERY_TOPIC.sort());
  });

  it('makes a Kafka user of each service, producer organisation, admin and ops', () => {
    const users = lib('client_users')
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[0]);
    expect(users.sort()).toEqual(
      [
        'admin',
        'ops',
        'producer:nammo',
        'producer:rheinmetall',
        ...SERVICES.map((service) => `service:${service}`),
      ].sort(),
    );
  });

  it('refuses to start when a producer organisation has no password', () => {
    expect(() =>
      runScript(['-c', '. ./kafka-lib.sh && client_users'], {
        ...envExample,
        PRODUCER_ORGS: 'rheinmetall,nammo,kongsberg',
      }),
    ).toThrow(/kongsberg/);
  });
});
