import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { GroupCoordinator, OffsetStore } from '../groups';
import { AclFile } from '../security/acl-file';
import { Authorizer } from '../security/authorizer';
import { LogManager } from '../storage';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext, BrokerSecurity } from './broker-context';
import { BrokerConnection } from './broker-connection';
import {
  resolveBrokerOptions,
  type BrokerOptions,
  type ResolvedBrokerOptions,
} from './broker-options';
import { ProducerIdAllocator } from './producer-id-allocator';
import { ProducerSequences } from './producer-sequences';
import { createRequestHandlers } from './request-handlers';

/** The single broker's node id; it is every partition's leader, the controller and coordinator. */
const NODE_ID = 0;
const CLUSTER_ID = 'tracker-embedded-kafka';

/** A started broker. */
export interface RunningBroker {
  /** `host:port` bootstrap list for clients (one entry). */
  readonly brokers: string[];
  /** The advertised host. */
  readonly host: string;
  /** The bound port (the OS-picked one when `port: 0` was asked). */
  readonly port: number;
  /** Fetch requests parked right now, waiting for data or for their max wait to pass. */
  readonly parkedFetches: number;
  /**
   * Closes the listener and every connection (parked requests are dropped unanswered), stops the
   * group coordinator and closes the offset store and every partition log (flushing them).
   * Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * Starts the embedded Kafka-compatible broker: recovers `dataDir`, then listens.
 * @throws InvalidBrokerOptionError for a bad option; the listen error (e.g. EADDRINUSE).
 */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const resolved = resolveBrokerOptions(options);
  const { logger } = resolved;
  const security = await openSecurity(resolved);
  const logs = await LogManager.open(
    resolved.dataDir,
    resolved.log,
    logger.child({ component: 'storage' }),
    { retentionCheckIntervalMs: resolved.retentionCheckIntervalMs },
  );
  let offsets: OffsetStore;
  try {
    offsets = await OffsetStore.open(join(resolved.dataDir, 'groups'), {
      fsync: resolved.log.fsync,
      fsyncIntervalMs: resolved.log.fsyncIntervalMs,
      logger: logger.child({ component: 'offsets' }),
    });
  } catch (error) {
    await logs.close();
    throw error;
  }
  const groups = new GroupCoordinator({
    offsets,
    initialRebalanceDelayMs: resolved.initialRebalanceDelayMs,
    logger: logger.child({ component: 'groups' }),
  });
  const context: BrokerContext = {
    nodeId: NODE_ID,
    clusterId: CLUSTER_ID,
    endpoint: { host: resolved.advertisedHost, port: resolved.port },
    logs,
    groups,
    producerIds: new ProducerIdAllocator(),
    sequences: new ProducerSequences(),
    settings: resolved,
    stats: { parkedFetches: 0 },
    logger,
    security,
  };
  const closeState = async (): Promise<void> => {
    groups.close();
    await offsets.close();
    await logs.close();
  };
  const connections = new Set<BrokerConnection>();
  const handlers = createRequestHandlers(context);
  const server = createServer((socket) =>
    accept(socket, handlers, resolved, security?.authorizer ?? null, connections),
  );
  try {
    context.endpoint.port = await listen(server, resolved.port, resolved.host);
  } catch (error) {
    await closeState();
    throw error;
  }
  server.on('error', (error) => logger.error({ err: error }, 'broker listener error'));
  const { host, port } = context.endpoint;
  logger.info({ host, port, dataDir: resolved.dataDir }, 'kafka broker listening');
  let stopping: Promise<void> | undefined;
  return {
    brokers: [`${host}:${port}`],
    host,
    port,
    get parkedFetches() {
      return context.stats.parkedFetches;
    },
    stop: () => (stopping ??= stop(server, connections, closeState, context)),
  };
}

/**
 * The authorizer with the configured ACLs and those created through the API (read back from the
 * data directory), or null without a `security` option. @throws AclFileError
 */
async function openSecurity(options: ResolvedBrokerOptions): Promise<BrokerSecurity | null> {
  if (options.security === null) return null;
  const { superUsers, allowEveryoneIfNoAclFound, acls } = options.security;
  const authorizer = new Authorizer({ superUsers, allowEveryoneIfNoAclFound, configured: acls });
  const aclFile = new AclFile(options.dataDir);
  authorizer.add(await aclFile.load());
  return { authorizer, aclFile, sasl: options.security.sasl !== null };
}

function accept(
  socket: Socket,
  handlers: ApiHandlers,
  options: ResolvedBrokerOptions,
  authorizer: Authorizer | null,
  connections: Set<BrokerConnection>,
): void {
  const connection = new BrokerConnection(socket, handlers, {
    maxRequestBytes: options.maxRequestBytes,
    logger: options.logger.child({ component: 'connection' }),
    sasl: options.security?.sasl ?? null,
    authorizer,
  });
  connections.add(connection);
  socket.on('close', () => connections.delete(connection));
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

async function stop(
  server: Server,
  connections: Set<BrokerConnection>,
  closeState: () => Promise<void>,
  context: BrokerContext,
): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const connection of connections) connection.close();
  connections.clear();
  await closed;
  await closeState();
  context.logger.info('kafka broker stopped');
}
