import type {
  JoinGroupProtocol,
  MemberJoinRequest,
  JoinGroupResult,
  SyncGroupResult,
} from './group-coordinator.types';

/** Empty assignment or metadata bytes. */
export const NO_BYTES = Buffer.alloc(0);

type Waiter<T> = (result: T) => void;

/**
 * One member of a classic group. Besides its registration it holds the request parked on its
 * behalf: a JoinGroup waiting for the join phase to end, or a SyncGroup waiting for the leader.
 */
export class Member {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: readonly JoinGroupProtocol[];
  /** Opaque bytes the leader assigned in the last completed sync. */
  assignment: Buffer = NO_BYTES;
  /** Session expiry timer; owned by the Rebalancer. */
  sessionTimer: NodeJS.Timeout | undefined;
  private joinWaiter: Waiter<JoinGroupResult> | undefined;
  private syncWaiter: Waiter<SyncGroupResult> | undefined;

  constructor(memberId: string, request: MemberJoinRequest) {
    this.memberId = memberId;
    this.groupInstanceId = request.groupInstanceId;
    this.clientId = request.clientId;
    this.clientHost = request.clientHost;
    this.sessionTimeoutMs = request.sessionTimeoutMs;
    this.rebalanceTimeoutMs = effectiveRebalanceTimeout(request);
    this.protocolType = request.protocolType;
    this.protocols = request.protocols;
  }

  /** Takes over the timeouts and protocols of a later JoinGroup from the same member. */
  update(request: MemberJoinRequest): void {
    this.sessionTimeoutMs = request.sessionTimeoutMs;
    this.rebalanceTimeoutMs = effectiveRebalanceTimeout(request);
    this.protocols = request.protocols;
  }

  supports(protocolName: string): boolean {
    return this.protocols.some((protocol) => protocol.name === protocolName);
  }

  metadataFor(protocolName: string | null): Buffer {
    return this.protocols.find((protocol) => protocol.name === protocolName)?.metadata ?? NO_BYTES;
  }

  /** True when a rejoin carries exactly the registered protocols, so it changes nothing. */
  hasSameProtocols(protocols: readonly JoinGroupProtocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every(
        (protocol, index) =>
          protocol.name === this.protocols[index].name &&
          protocol.metadata.equals(this.protocols[index].metadata),
      )
    );
  }

  /** The member's most preferred protocol among the candidates the whole group supports. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((protocol) => candidates.has(protocol.name))?.name;
  }

  get isAwaitingJoin(): boolean {
    return this.joinWaiter !== undefined;
  }

  get isAwaitingSync(): boolean {
    return this.syncWaiter !== undefined;
  }

  /** Parks a JoinGroup; returns the waiter it displaced (a client retry), for the caller to answer. */
  parkJoin(waiter: Waiter<JoinGroupResult>): Waiter<JoinGroupResult> | undefined {
    const displaced = this.joinWaiter;
    this.joinWaiter = waiter;
    return displaced;
  }

  parkSync(waiter: Waiter<SyncGroupResult>): Waiter<SyncGroupResult> | undefined {
    const displaced = this.syncWaiter;
    this.syncWaiter = waiter;
    return displaced;
  }

  /** Answers the parked JoinGroup, if any. */
  answerJoin(result: JoinGroupResult): void {
    const waiter = this.joinWaiter;
    this.joinWaiter = undefined;
    waiter?.(result);
  }

  /** Answers the parked SyncGroup, if any. */
  answerSync(result: SyncGroupResult): void {
    const waiter = this.syncWaiter;
    this.syncWaiter = undefined;
    waiter?.(result);
  }
}

/**
 * JoinGroup v0 has no rebalance timeout and some clients send none: the session timeout stands
 * in, as in Kafka, so a missing value never reads as -1 ("Groups" in the broker README).
 */
function effectiveRebalanceTimeout(request: MemberJoinRequest): number {
  return request.rebalanceTimeoutMs > 0 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs;
}
