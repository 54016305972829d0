import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { EventProducer, physicalTopic } from '@tracker/kafka';
import { PinoLogger } from 'nestjs-pino';
import { Client } from 'pg';
import { OutboxMetrics } from './outbox.metrics';
import { outboxChannel, relayLockName } from './outbox.channel';
import { RelayWakeup } from './relay-wakeup';

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  created_at: Date;
}

/** Timings of the relay; shortened in tests. */
export interface RelayTimings {
  /** Fallback poll when no NOTIFY arrives (a lost notification, another writer). */
  readonly pollMs: number;
  /** How often a standby instance tries to become the publishing one. */
  readonly standbyMs: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  readonly batchSize: number;
}

export const RELAY_TIMINGS = Symbol('RELAY_TIMINGS');
export const DEFAULT_RELAY_TIMINGS: RelayTimings = {
  pollMs: 1000,
  standbyMs: 1000,
  backoffInitialMs: 100,
  backoffMaxMs: 5000,
  batchSize: 500,
};

/**
 * Publishes the outbox to Kafka. Exactly one instance per schema publishes at a time: it holds a
 * session advisory lock, so two service instances never publish one entity's events out of
 * order, and a crashed holder's lock goes with its connection. Rows are read by id and deleted
 * once Kafka acknowledged them; a crash in between re-publishes them with the same event ids
 * (consumers dedupe by id). Rows are never skipped: the relay reads every row still present, not
 * "rows after the last id", so a transaction that commits after a later-numbered one is still
 * published. Per entity, order holds because every write locks its entity's row, so one
 * entity's outbox ids follow its commit order. Wakes when a write of this process commits
 * ({@link RelayWakeup}) or on NOTIFY from another instance's, with a polling fallback.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private client?: Client;
  private leader = false;
  private running = false;
  private wake?: () => void;
  /** A wake-up that came while the loop was busy: the next sleep returns at once. */
  private notified = false;
  private loop?: Promise<void>;
  private readonly channel: string;
  private readonly lockName: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly producer: EventProducer,
    private readonly metrics: OutboxMetrics,
    private readonly logger: PinoLogger,
    @Inject(RELAY_TIMINGS) private readonly timings: RelayTimings,
    private readonly wakeup: RelayWakeup,
  ) {
    this.channel = outboxChannel(config.databaseSchema);
    this.lockName = relayLockName(config.databaseSchema);
  }

  /** True while this instance is the one publishing. */
  get isLeader(): boolean {
    return this.leader;
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.runLoop();
  }

  /**
   * Stops before any module's `onApplicationShutdown` (the Kafka producer disconnects there):
   * a batch in flight is acknowledged and its rows deleted first, so a graceful stop never leaves
   * published rows to be published again by the next start.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.disconnect();
  }

  private async runLoop(): Promise<void> {
    let backoff = this.timings.backoffInitialMs;
    while (this.running) {
      try {
        const client = await this.connection();
        if (!this.leader) {
          this.leader = await this.tryLock(client);
          if (!this.leader) {
            await this.sleep(this.timings.standbyMs);
            continue;
          }
          this.wakeup.publishingHere(() => this.poke());
          this.logger.info({ schema: this.config.databaseSchema }, 'outbox relay publishing');
        }
        const published = await this.publishBatch(client);
        backoff = this.timings.backoffInitialMs;
        if (published < this.timings.batchSize) await this.sleep(this.timings.pollMs);
      } catch (error) {
        this.metrics.failures.inc();
        this.logger.warn({ err: error }, 'outbox relay failed; retrying');
        if (isConnectionError(error)) await this.disconnect();
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.timings.backoffMaxMs);
      }
    }
  }

  /** Publishes up to one batch; returns how many rows it published. */
  private async publishBatch(client: Client): Promise<number> {
    const { rows } = await client.query<OutboxRow>(
      'select id, topic, key, value, headers, created_at from outbox order by id limit $1',
      [this.timings.batchSize],
    );
    await this.updateBacklog(client, rows);
    if (rows.length === 0) return 0;
    const byTopic = new Map<
      string,
      { key: string; value: Buffer; headers: Record<string, string> }[]
    >();
    for (const row of rows) {
      const topic = physicalTopic(this.config.kafka, row.topic);
      const messages = byTopic.get(topic) ?? [];
      messages.push({ key: row.key, value: row.value, headers: row.headers });
      byTopic.set(topic, messages);
    }
    await this.producer.send([...byTopic].map(([topic, messages]) => ({ topic, messages })));
    // Counted as published once Kafka acknowledged them, before their rows go: whoever sees an
    // empty outbox sees them in the published total.
    const now = Date.now();
    for (const row of rows)
      this.metrics.publishLatency.observe((now - row.created_at.getTime()) / 1000);
    this.metrics.published.inc(rows.length);
    await client.query('delete from outbox where id = any($1::bigint[])', [
      rows.map((row) => row.id),
    ]);
    return rows.length;
  }

  private async updateBacklog(client: Client, rows: OutboxRow[]): Promise<void> {
    if (rows.length < this.timings.batchSize) {
      this.metrics.backlog.set(rows.length);
    } else {
      const { rows: count } = await client.query<{ n: string }>('select count(*) as n from outbox');
      this.metrics.backlog.set(Number(count[0].n));
    }
    this.metrics.oldestAge.set(
      rows.length === 0 ? 0 : (Date.now() - rows[0].created_at.getTime()) / 1000,
    );
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({
      connectionString: this.config.databaseUrl,
      application_name: `${this.config.service}-outbox-relay`,
      options: `-c search_path=${this.config.databaseSchema}`,
    });
    client.on('error', () => {
      // The next query fails and the loop reconnects; the lock went with the connection.
      this.leader = false;
      this.wakeup.publishingHere(undefined);
    });
    client.on('notification', () => this.poke());
    await client.connect();
    await client.query(`listen "${this.channel}"`);
    this.client = client;
    return client;
  }

  private poke(): void {
    this.notified = true;
    this.wake?.();
  }

  private async tryLock(client: Client): Promise<boolean> {
    const { rows } = await client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock(hashtext($1)) as locked',
      [this.lockName],
    );
    return rows[0].locked;
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.leader = false;
    this.wakeup.publishingHere(undefined);
    await client?.end().catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running || this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  const message = error instanceof Error ? error.message : '';
  return (
    code.startsWith('08') ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === '57P01' ||
    /Connection terminated|not queryable|Client has encountered a connection error/.test(message)
  );
}
