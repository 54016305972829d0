import { z } from 'zod';
import {
  LiveError,
  LiveReset,
  LiveUpdate,
  SubscribeReply,
  SubscribeRequest,
  UnsubscribeReply,
  UnsubscribeRequest,
} from './live.events';

/** Most channels one subscribe or unsubscribe may name. */
export const MAX_CHANNELS_PER_REQUEST = 100;

const channels = z
  .array(z.string().min(1).max(128), { message: 'channels must be an array of channel names' })
  .min(1, { message: 'channels must name at least one channel' })
  .max(MAX_CHANNELS_PER_REQUEST, {
    message: `channels must name at most ${MAX_CHANNELS_PER_REQUEST} channels`,
  });

export const SubscribeRequestSchema = z.object({
  channels,
  since: z.string().min(1).max(256).optional(),
}) satisfies z.ZodType<SubscribeRequest>;

export const UnsubscribeRequestSchema = z.object({
  channels,
}) satisfies z.ZodType<UnsubscribeRequest>;

/** The request, or the error to acknowledge it with, naming each bad field. */
export function parseRequest<T>(
  schema: z.ZodType<T>,
  payload: unknown,
): { ok: true; request: T } | { ok: false; error: LiveError } {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { ok: true, request: parsed.data };
  const message = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`)
    .join('; ');
  return { ok: false, error: { code: 'invalid-request', message } };
}

// What the server sends, as schemas for the AsyncAPI document; `satisfies` keeps them in step
// with the event map's types.

const LiveErrorSchema = z.object({
  code: z.enum(['invalid-request', 'unknown-channel', 'unavailable', 'too-many-channels']),
  message: z.string(),
  channel: z.string().optional().describe('The channel refused'),
}) satisfies z.ZodType<LiveError>;

const ResetReasonSchema = z
  .enum(['epoch', 'expired', 'cap', 'malformed'])
  .describe(
    'epoch: the stream was rebuilt; expired: the gap is older than the retained history; cap: more change-stream entries since the cursor than LIVE_REPLAY_CAP; malformed: not a cursor',
  );

const ValuesSchema = z
  .record(z.string(), z.unknown())
  .describe('Channel → full value (null for a channel without data)');

const CursorSchema = z.string().describe('Opaque; resume from it with `since`, on any gateway');

export const SubscribeReplySchema = z.union([
  z.object({ ok: z.literal(true), snapshot: ValuesSchema, cursor: CursorSchema }),
  z.object({
    ok: z.literal(true),
    snapshot: z.record(z.string(), z.never()).describe('Empty: the replay came as updates'),
    cursor: CursorSchema,
    replayed: z.number().int().min(0).describe('Updates emitted before this ack'),
  }),
  z.object({
    ok: z.literal(true),
    snapshot: ValuesSchema,
    cursor: CursorSchema,
    reset: z.literal(true),
    reason: ResetReasonSchema,
  }),
  z.object({ ok: z.literal(false), error: LiveErrorSchema }),
]) satisfies z.ZodType<SubscribeReply>;

export const UnsubscribeReplySchema = z.union([
  z.object({ ok: z.literal(true), channels: z.array(z.string()).describe('Still subscribed') }),
  z.object({ ok: z.literal(false), error: LiveErrorSchema }),
]) satisfies z.ZodType<UnsubscribeReply>;

export const LiveUpdateSchema = z.object({
  channel: z.string(),
  cursor: CursorSchema,
  value: z.unknown().describe("The channel's new full value (libs/read-model values.ts)"),
  cause: z.object({
    id: z.string().describe('CloudEvents id of the event'),
    type: z.string(),
    time: z.string().describe('When it happened in the world'),
  }),
}) satisfies z.ZodType<LiveUpdate>;

export const LiveResetSchema = z.object({
  snapshot: ValuesSchema,
  cursor: CursorSchema,
  reason: ResetReasonSchema,
}) satisfies z.ZodType<LiveReset>;
