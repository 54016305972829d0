import { z } from 'zod';
import { authTokensSchema } from './auth-tokens';

/** The five applications of DESIGN.md §2 and their default ports (§7). */
export const SERVICE_PORTS = {
  gateway: 3000,
  'pledge-service': 3001,
  'production-service': 3002,
  'shipment-service': 3003,
  'projection-service': 3004,
} as const;

export type ServiceName = keyof typeof SERVICE_PORTS;

const BROKER_PATTERN = /^[A-Za-z0-9.-]+:\d{1,5}$/;

const brokersSchema = z
  .string()
  .transform((text) => text.split(',').map((broker) => broker.trim()))
  .refine((brokers) => brokers.every((broker) => BROKER_PATTERN.test(broker)), {
    message: 'must be a comma-separated list of host:port',
  });

const urlWithProtocol = (protocols: string[], example: string) =>
  z.string().refine(
    (text) => {
      try {
        return protocols.includes(new URL(text).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL like ${example}` },
  );

const onOff = z.enum(['on', 'off'], { message: 'must be "on" or "off"' });

const port = z.coerce
  .number({ message: 'must be an integer between 0 and 65535' })
  .int({ message: 'must be an integer between 0 and 65535' })
  .min(0, { message: 'must be an integer between 0 and 65535' })
  .max(65535, { message: 'must be an integer between 0 and 65535' });

/** The environment variables every service understands (DESIGN.md §7), with their defaults. */
export const environmentSchema = z.object({
  PORT: port.optional(),
  KAFKA_BROKERS: brokersSchema.default(['127.0.0.1:9092']),
  KAFKA_SASL_MECHANISM: z
    .enum(['plain', 'scram-sha-256', 'scram-sha-512'], {
      message: 'must be one of plain, scram-sha-256, scram-sha-512',
    })
    .optional(),
  KAFKA_SASL_USERNAME: z.string().min(1, { message: 'must not be empty' }).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1, { message: 'must not be empty' }).optional(),
  KAFKA_SSL: z.enum(['true', 'false'], { message: 'must be "true" or "false"' }).default('false'),
  REDIS_URL: urlWithProtocol(['redis:', 'rediss:'], 'redis://127.0.0.1:6379').default(
    'redis://127.0.0.1:6379',
  ),
  DATABASE_URL: urlWithProtocol(
    ['postgres:', 'postgresql:'],
    'postgres://user@127.0.0.1:5432/db',
  ).default('postgres://postgres@127.0.0.1:5432/test'),
  AUTH_TOKENS: authTokensSchema.optional(),
  TRACKER_DEMO: onOff.default('on'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  sasl?: {
    mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    username: string;
    password: string;
  };
}

/** The typed configuration object injected into every service. */
export interface AppConfig {
  service: ServiceName;
  port: number;
  logLevel: Environment['LOG_LEVEL'];
  kafka: KafkaConfig;
  redisUrl: string;
  databaseUrl: string;
  authTokens: Environment['AUTH_TOKENS'];
  demo: boolean;
}
