import { z } from 'zod';

/**
 * The integrator's settings, read once from the environment at start. A bad value stops the
 * start naming the variable (never echoing a password).
 */
export interface IntegratorConfig {
  readonly brokers: string[];
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
  readonly ssl: boolean;
  /** Kafka consumer group; the tracker's ACLs let `ops` read only in groups named `ops.*`. */
  readonly groupId: string;
  /** Prepended to every contract topic name, when the stack runs with `KAFKA_TOPIC_PREFIX`. */
  readonly topicPrefix: string;
}

const broker = /^[A-Za-z0-9.-]+:\d{1,5}$/;
const namePart = /^[A-Za-z0-9._-]{1,100}$/;

const environment = z
  .object({
    KAFKA_BROKERS: z
      .string({ message: 'is required: host:port[,host:port…]' })
      .transform((text) => text.split(',').map((entry) => entry.trim()))
      .refine((entries) => entries.every((entry) => broker.test(entry)), {
        message: 'must be a comma-separated list of host:port',
      }),
    KAFKA_SASL_MECHANISM: z
      .enum(['plain', 'scram-sha-256', 'scram-sha-512'], {
        message: 'must be one of plain, scram-sha-256, scram-sha-512',
      })
      .optional(),
    KAFKA_SASL_USERNAME: z.string().min(1, { message: 'must not be empty' }).optional(),
    KAFKA_SASL_PASSWORD: z.string().min(1, { message: 'must not be empty' }).optional(),
    KAFKA_SSL: z.enum(['true', 'false'], { message: 'must be "true" or "false"' }).default('false'),
    KAFKA_GROUP_ID: z
      .string()
      .regex(namePart, { message: 'must be 1-100 characters of A-Z a-z 0-9 . _ -' })
      .default('ops.integrator'),
    KAFKA_TOPIC_PREFIX: z
      .string()
      .regex(namePart, { message: 'must be 1-100 characters of A-Z a-z 0-9 . _ -' })
      .optional(),
  })
  .superRefine((env, context) => {
    if (env.KAFKA_SASL_MECHANISM === undefined) return;
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
      if (env[name] === undefined) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: `is required with KAFKA_SASL_MECHANISM=${env.KAFKA_SASL_MECHANISM}`,
        });
      }
    }
  });

/** Thrown when the environment does not describe a usable integrator; names every bad variable. */
export class IntegratorConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'IntegratorConfigError';
  }
}

/** Parses the integrator's environment (`process.env` in main.ts, a literal in tests). */
export function loadIntegratorConfig(env: Record<string, string | undefined>): IntegratorConfig {
  const result = environment.safeParse(env);
  if (!result.success) {
    throw new IntegratorConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const parsed = result.data;
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD } = parsed;
  return {
    brokers: parsed.KAFKA_BROKERS,
    sasl:
      mechanism === undefined
        ? undefined
        : { mechanism, username: KAFKA_SASL_USERNAME!, password: KAFKA_SASL_PASSWORD! },
    ssl: parsed.KAFKA_SSL === 'true',
    groupId: parsed.KAFKA_GROUP_ID,
    topicPrefix: parsed.KAFKA_TOPIC_PREFIX ?? '',
  };
}
