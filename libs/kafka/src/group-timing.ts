import { DEFAULT_SESSION_TIMEOUT_MS } from '@tracker/config';
import type { ConsumerConfig } from 'kafkajs';

/** kafkajs's own `maxWaitTimeInMs`: how long a fetch waits on the broker for new records. */
const KAFKAJS_MAX_WAIT_MS = 5000;

/**
 * The timing of one consumer group member, derived from its session timeout (how long the
 * partitions of a member that died without leaving wait before the broker hands them on).
 *
 * kafkajs sends no group instance id, so there is no KIP-345 static membership to let a restarted
 * member take its partitions back at once: a short session is how a killed service gets its
 * partitions back quickly. kafkajs heartbeats only between fetches, so a fetch never waits longer
 * than one heartbeat interval (a third of the session, as kafkajs recommends): an idle member
 * still heartbeats three times per session. The rebalance timeout bounds how long a rebalance
 * waits for live members to rejoin, and for a member that died between JoinGroup and SyncGroup:
 * twice the session, where kafkajs's 60 s default would hold the whole group that long.
 */
export function groupTiming(
  sessionTimeoutMs = DEFAULT_SESSION_TIMEOUT_MS,
): Pick<
  ConsumerConfig,
  'sessionTimeout' | 'heartbeatInterval' | 'rebalanceTimeout' | 'maxWaitTimeInMs'
> {
  const heartbeatInterval = Math.floor(sessionTimeoutMs / 3);
  return {
    sessionTimeout: sessionTimeoutMs,
    heartbeatInterval,
    rebalanceTimeout: 2 * sessionTimeoutMs,
    maxWaitTimeInMs: Math.min(KAFKAJS_MAX_WAIT_MS, heartbeatInterval),
  };
}
