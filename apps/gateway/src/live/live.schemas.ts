import { z } from 'zod';
import { LiveError, SubscribeRequest, UnsubscribeRequest } from './live.events';

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
