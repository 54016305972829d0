import { Injectable } from '@nestjs/common';
import { Role } from '@tracker/config';
import { PledgeAnnouncedV1 } from '@tracker/contracts';
import { Conflict, Forbidden, NotFound, RuleViolation } from '@tracker/errors';
import { EventFactory, Transaction, UnitOfWork, Written } from '@tracker/outbox';
import { v7 as uuidv7 } from 'uuid';
import { WriteRequest } from '@tracker/http';
import { PledgeEntity } from './pledge.entity';
import { PledgeRecord, PledgeRepository } from './pledge.repository';
import {
  AmendPledgeBody,
  AnnouncePledgeBody,
  CancelPledgeBody,
  ListPledgesFilter,
} from './pledge.requests';

/** A pledge as the API shows it. */
export interface PledgeView {
  readonly pledgeId: string;
  readonly donor: string;
  readonly recipient: string;
  readonly itemCode: string;
  readonly quantity: number;
  readonly targetDate: string | null;
  readonly status: 'active' | 'cancelled';
  readonly accepted: number;
  readonly announcement: Record<string, unknown>;
}

function view(pledge: PledgeEntity, accepted: number): PledgeView {
  return {
    pledgeId: pledge.pledgeId,
    donor: pledge.donor,
    recipient: pledge.recipient,
    itemCode: pledge.itemCode,
    quantity: pledge.quantity,
    targetDate: pledge.targetDate,
    status: pledge.status,
    accepted,
    announcement: pledge.announcement,
  };
}

function sameAnnouncement(recorded: Record<string, unknown>, repeated: PledgeAnnouncedV1): boolean {
  const { announcedAt: _recordedAt, ...before } = recorded;
  const { announcedAt: _repeatedAt, ...after } = repeated;
  return JSON.stringify(sortKeys(before)) === JSON.stringify(sortKeys(after));
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}

/** A donor writes only its own pledges; admins write any. */
function checkDonorScope(role: Role, donor: string): void {
  if (role.kind === 'admin') return;
  if (role.kind === 'donor' && role.country === donor) return;
  throw new Forbidden(
    `A ${role.kind === 'donor' ? `donor:${role.country}` : role.kind} token cannot write pledges of donor ${donor}`,
  );
}

/** Announces, amends and cancels pledges: the rules of DESIGN.md §4 for pledges. */
@Injectable()
export class PledgeService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly pledges: PledgeRepository,
    private readonly events: EventFactory,
  ) {}

  announce(request: WriteRequest, input: AnnouncePledgeBody): Promise<Written<PledgeView>> {
    checkDonorScope(request.caller.role, input.donor);
    const announcement: PledgeAnnouncedV1 = {
      ...input,
      pledgeId: input.pledgeId ?? uuidv7(),
      announcedAt: input.announcedAt ?? new Date().toISOString(),
    };
    return this.unitOfWork.write(request, async (tx) => {
      const entity = toEntity(announcement);
      if (await this.pledges.insert(tx, entity)) {
        tx.emit(this.events.create('tracker.pledge.announced.v1', announcement));
        return view(entity, 0);
      }
      return this.repeatedAnnouncement(tx, announcement);
    });
  }

  amend(
    request: WriteRequest,
    pledgeId: string,
    input: AmendPledgeBody,
  ): Promise<Written<PledgeView>> {
    return this.unitOfWork.write(request, async (tx) => {
      const pledge = await this.activePledge(tx, request.caller.role, pledgeId);
      const accepted = await this.pledges.accepted(tx, pledgeId);
      if (input.quantity !== undefined && input.quantity < accepted) {
        throw new RuleViolation(
          'amendment-below-accepted',
          `quantity ${input.quantity} is below the ${accepted} already accepted on receipt`,
          'quantity',
        );
      }
      tx.emit(this.events.create('tracker.pledge.amended.v1', { pledgeId, ...input }));
      await this.pledges.update(tx, pledgeId, {
        quantity: input.quantity,
        targetDate: input.targetDate,
      });
      return view(
        {
          ...pledge,
          quantity: input.quantity ?? pledge.quantity,
          targetDate: input.targetDate ?? pledge.targetDate,
        },
        accepted,
      );
    });
  }

  cancel(
    request: WriteRequest,
    pledgeId: string,
    input: CancelPledgeBody,
  ): Promise<Written<PledgeView>> {
    return this.unitOfWork.write(request, async (tx) => {
      const pledge = await this.activePledge(tx, request.caller.role, pledgeId);
      tx.emit(this.events.create('tracker.pledge.cancelled.v1', { pledgeId, ...input }));
      await this.pledges.update(tx, pledgeId, { status: 'cancelled' });
      return view({ ...pledge, status: 'cancelled' }, await this.pledges.accepted(tx, pledgeId));
    });
  }

  async get(role: Role, pledgeId: string): Promise<PledgeView> {
    const record: PledgeRecord | undefined = await this.pledges.find(pledgeId);
    if (record === undefined) throw new NotFound('pledge', pledgeId);
    if (role.kind === 'donor' && role.country !== record.pledge.donor) {
      throw new Forbidden(
        `A donor:${role.country} token cannot read pledges of donor ${record.pledge.donor}`,
      );
    }
    return view(record.pledge, record.accepted);
  }

  async list(
    role: Role,
    query: ListPledgesFilter,
  ): Promise<{ items: Omit<PledgeView, 'accepted'>[]; next?: string }> {
    if (role.kind === 'donor' && query.donor !== undefined && query.donor !== role.country) {
      throw new Forbidden(
        `A donor:${role.country} token cannot list pledges of donor ${query.donor}`,
      );
    }
    const donor = role.kind === 'donor' ? role.country : query.donor;
    const pledges = await this.pledges.list({ ...query, donor });
    const items = pledges.map((pledge) => {
      const { accepted: _accepted, ...rest } = view(pledge, 0);
      return rest;
    });
    const next = pledges.length === query.limit ? pledges[pledges.length - 1].pledgeId : undefined;
    return { items, next };
  }

  private async repeatedAnnouncement(
    tx: Transaction,
    announcement: PledgeAnnouncedV1,
  ): Promise<PledgeView> {
    const existing = await this.pledges.lock(tx, announcement.pledgeId);
    if (existing === undefined)
      throw new Error(`pledge ${announcement.pledgeId} vanished while announced`);
    if (!sameAnnouncement(existing.announcement, announcement)) {
      throw new Conflict(
        'pledge-exists',
        `pledge ${announcement.pledgeId} was already announced with other content`,
        'pledgeId',
      );
    }
    return view(existing, await this.pledges.accepted(tx, announcement.pledgeId));
  }

  private async activePledge(tx: Transaction, role: Role, pledgeId: string): Promise<PledgeEntity> {
    const pledge = await this.pledges.lock(tx, pledgeId);
    if (pledge === undefined) throw new NotFound('pledge', pledgeId);
    checkDonorScope(role, pledge.donor);
    if (pledge.status === 'cancelled') {
      throw new Conflict('pledge-cancelled', `pledge ${pledgeId} is cancelled`);
    }
    return pledge;
  }
}

function toEntity(announcement: PledgeAnnouncedV1): PledgeEntity {
  const entity = new PledgeEntity();
  entity.pledgeId = announcement.pledgeId;
  entity.donor = announcement.donor;
  entity.recipient = announcement.recipient;
  entity.itemCode = announcement.itemCode;
  entity.quantity = announcement.quantity;
  entity.targetDate = announcement.targetDate ?? null;
  entity.status = 'active';
  entity.announcement = announcement;
  entity.announcedAt = new Date(announcement.announcedAt);
  entity.updatedAt = new Date();
  return entity;
}
