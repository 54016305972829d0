import { Injectable } from '@nestjs/common';
import { Fact, maySee, Viewer } from '@tracker/access';
import { describeRole, Role } from '@tracker/config';
import {
  EventType,
  PayloadOf,
  ShipmentDeliveredV1,
  ShipmentDeliveryCorrectedV1,
  ShipmentDispatchedV1,
  ShipmentLostV1,
  ShipmentMilestoneV1,
  TOPICS,
} from '@tracker/contracts';
import { Conflict, Forbidden, NotFound, RuleViolation, ViewLagging } from '@tracker/errors';
import { WriteRequest } from '@tracker/http';
import { EventFactory, Transaction, UnitOfWork, Written } from '@tracker/outbox';
import { v7 as uuidv7 } from 'uuid';
import { AllocationsViewRepository } from '../allocations-view/allocations-view.repository';
import { KnownPledge, PledgesViewRepository } from '../pledges-view/pledges-view.repository';
import { ShipmentEntity } from './shipment.entity';
import { ShipmentRepository } from './shipment.repository';
import {
  CorrectDeliveryBody,
  DispatchShipmentBody,
  RecordDeliveryBody,
  RecordLossBody,
  RecordMilestoneBody,
} from './shipment.requests';
import { checkLoss, checkReceipt, latest, requirePositive, sameDispatch } from './shipment.rules';
import {
  checkDonorDispatch,
  checkProducerDispatch,
  checkRecipientScope,
  checkSenderScope,
  dispatcher,
  owningProducer,
} from './shipment.parties';
import { shipmentFact } from './shipment.read-scope';
import { milestoneView, PledgeShipmentView, ShipmentView, toEntity, view } from './shipment.view';

/** What applying a fact did: the shipment as it now stands, and the fact to publish, if any. */
export interface Applied<T> {
  readonly shipment: ShipmentView;
  /** Undefined when nothing changed (a repeated dispatch): nothing is published. */
  readonly fact?: T;
}

/** Where a dispatch comes from: the organisation owning it, and whether its time was given. */
export interface DispatchOrigin {
  readonly owner: string | null;
  /** False when `dispatchedAt` defaulted to now: a repeated dispatch is then not compared on it. */
  readonly timeGiven: boolean;
}

/**
 * Dispatches shipments and records their milestones, delivery receipts and losses: the rules of
 * DESIGN.md §4 for shipments. The `apply*` methods hold the rules inside a transaction and are
 * shared by the HTTP routes and the consumer of tracker.inbound.shipments.v1; the others are the
 * HTTP writes, each one transaction publishing the fact it accepted.
 */
@Injectable()
export class ShipmentService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly shipments: ShipmentRepository,
    private readonly pledges: PledgesViewRepository,
    private readonly allocations: AllocationsViewRepository,
    private readonly events: EventFactory,
  ) {}

  dispatch(request: WriteRequest, input: DispatchShipmentBody): Promise<Written<ShipmentView>> {
    const { producer, ...fields } = input;
    const role = request.caller.role;
    const origin = { owner: owningProducer(role, producer), timeGiven: !!input.dispatchedAt };
    const dispatch: ShipmentDispatchedV1 = {
      ...fields,
      shipmentId: fields.shipmentId ?? uuidv7(),
      dispatchedAt: fields.dispatchedAt ?? new Date().toISOString(),
    };
    return this.unitOfWork.write(request, async (tx) =>
      this.publish(
        tx,
        'tracker.shipment.dispatched.v1',
        await this.applyDispatch(tx, role, dispatch, origin),
      ),
    );
  }

  addMilestone(
    request: WriteRequest,
    shipmentId: string,
    input: RecordMilestoneBody,
  ): Promise<Written<ShipmentView>> {
    const milestone = { ...input, shipmentId, at: input.at ?? new Date().toISOString() };
    return this.unitOfWork.write(request, async (tx) =>
      this.publish(
        tx,
        'tracker.shipment.milestone.v1',
        await this.applyMilestone(tx, request.caller.role, milestone),
      ),
    );
  }

  receive(
    request: WriteRequest,
    shipmentId: string,
    input: RecordDeliveryBody,
  ): Promise<Written<ShipmentView>> {
    const delivery = {
      ...input,
      shipmentId,
      receivedAt: input.receivedAt ?? new Date().toISOString(),
    };
    return this.unitOfWork.write(request, async (tx) =>
      this.publish(
        tx,
        'tracker.shipment.delivered.v1',
        await this.applyDelivery(tx, request.caller.role, delivery),
      ),
    );
  }

  correctReceipt(
    request: WriteRequest,
    shipmentId: string,
    input: CorrectDeliveryBody,
  ): Promise<Written<ShipmentView>> {
    const correction = {
      ...input,
      shipmentId,
      correctedAt: input.correctedAt ?? new Date().toISOString(),
    };
    return this.unitOfWork.write(request, async (tx) =>
      this.publish(
        tx,
        'tracker.shipment.delivery-corrected.v1',
        await this.applyCorrection(tx, request.caller.role, correction),
      ),
    );
  }

  reportLoss(
    request: WriteRequest,
    shipmentId: string,
    input: RecordLossBody,
  ): Promise<Written<ShipmentView>> {
    return this.unitOfWork.write(request, async (tx) =>
      this.publish(
        tx,
        'tracker.shipment.lost.v1',
        await this.applyLoss(tx, request.caller.role, { ...input, shipmentId }),
      ),
    );
  }

  /**
   * A shipment, to its sending producer and its pledge's donor and recipient (and admin, ops);
   * 404 to anyone else, exactly as for a shipment that does not exist.
   */
  async get(viewer: Viewer, shipmentId: string): Promise<ShipmentView> {
    const shipment = await this.shipments.find(shipmentId);
    if (shipment === undefined || !maySee(viewer, await this.factOf(shipment))) {
      throw new NotFound('shipment', shipmentId);
    }
    return view(shipment);
  }

  /**
   * The shipments sent against a pledge that the viewer may see (as {@link get} decides for
   * each), in dispatch order, each with its milestones as recorded; an unknown pledge has none.
   */
  async ofPledge(viewer: Viewer, pledgeId: string): Promise<{ items: PledgeShipmentView[] }> {
    const pledge = await this.pledges.read(pledgeId);
    const seen = (await this.shipments.ofPledge(pledgeId)).filter((shipment) =>
      maySee(viewer, shipmentFact(shipment, pledge)),
    );
    const milestones = await this.shipments.milestonesOf(seen.map((s) => s.shipmentId));
    return {
      items: seen.map((shipment) => ({
        ...view(shipment),
        ...(shipment.dispatch.eta === undefined ? {} : { dispatchEta: shipment.dispatch.eta }),
        milestones: (milestones.get(shipment.shipmentId) ?? []).map(milestoneView),
      })),
    };
  }

  /** Whose a shipment is: its sender's, its pledge's donor's and recipient's. */
  private async factOf(shipment: ShipmentEntity): Promise<Fact> {
    return shipmentFact(shipment, await this.pledges.read(shipment.pledgeId));
  }

  /**
   * A new shipment for a pledge the view knows, is not cancelled and is of the same item, sent
   * by a party entitled to (DESIGN.md §4a: a producer within what it allocated, a donor for its
   * own pledge). A dispatch repeating a recorded one (same id, same content) changes nothing;
   * the same id with other content is refused. The published fact names its sender
   * (`dispatchedBy`, see {@link dispatcher}); a `dispatchedBy` the input carries is ignored.
   */
  async applyDispatch(
    tx: Transaction,
    role: Role,
    input: ShipmentDispatchedV1,
    origin: DispatchOrigin,
  ): Promise<Applied<ShipmentDispatchedV1>> {
    const { dispatchedBy: _claimed, ...dispatch } = input;
    const existing = await this.shipments.lock(tx, dispatch.shipmentId);
    if (existing) return { shipment: this.repeatedDispatch(role, existing, dispatch, origin) };
    requirePositive(dispatch.quantity, 'quantity');
    const pledge = await this.openPledge(tx, dispatch);
    await this.checkSender(tx, role, pledge, dispatch);
    const entity = toEntity(dispatch, origin.owner, pledge.donor);
    if (await this.shipments.insert(tx, entity)) {
      return {
        shipment: view(entity),
        fact: { ...dispatch, dispatchedBy: dispatcher(role, origin.owner) },
      };
    }
    const raced = await this.shipments.lock(tx, dispatch.shipmentId);
    if (raced === undefined) throw new Error(`shipment ${dispatch.shipmentId} vanished`);
    return { shipment: this.repeatedDispatch(role, raced, dispatch, origin) };
  }

  /** Whether a shipment with this id is on record; its row stays locked for the transaction. */
  async isRecorded(tx: Transaction, shipmentId: string): Promise<boolean> {
    return (await this.shipments.lock(tx, shipmentId)) !== undefined;
  }

  /** A point reached on the way; none once the shipment was delivered or a loss reported. */
  async applyMilestone(
    tx: Transaction,
    role: Role,
    milestone: ShipmentMilestoneV1,
  ): Promise<Applied<ShipmentMilestoneV1>> {
    const shipment = await this.sent(tx, role, milestone.shipmentId);
    if (shipment.status !== 'in-transit') {
      const what = shipment.status === 'delivered' ? 'was delivered' : 'had a loss reported';
      throw new Conflict(
        `shipment-${shipment.status}`,
        `shipment ${shipment.shipmentId} ${what}: it takes no more milestones`,
      );
    }
    const lastMilestone = latest(shipment.lastMilestone, milestone);
    await this.shipments.update(tx, shipment.shipmentId, { lastMilestone });
    await this.shipments.recordMilestone(tx, milestone, describeRole(role));
    return { shipment: view({ ...shipment, lastMilestone }), fact: milestone };
  }

  /**
   * The receipt, once, confirmed by the pledge's recipient (or an admin), who is named in the
   * fact as `reportedBy`: what arrived (at most what was shipped and not lost), what was
   * accepted and what rejected (received − accepted unless given; a reason when anything was
   * rejected).
   */
  async applyDelivery(
    tx: Transaction,
    role: Role,
    receipt: ShipmentDeliveredV1,
  ): Promise<Applied<ShipmentDeliveredV1>> {
    const shipment = await this.shipments.lock(tx, receipt.shipmentId);
    if (shipment === undefined) throw new NotFound('shipment', receipt.shipmentId);
    const pledge = await this.pledges.find(tx, shipment.pledgeId);
    checkRecipientScope(role, shipment, pledge?.recipient ?? null);
    if (shipment.status === 'delivered') {
      throw new Conflict(
        'shipment-delivered',
        `shipment ${shipment.shipmentId} was already delivered: a shipment is received once`,
      );
    }
    const delivery = {
      ...checkReceipt(shipment, receipt),
      reportedBy: role.kind === 'recipient' ? `recipient:${role.country}` : 'admin',
    };
    await this.shipments.update(tx, shipment.shipmentId, { status: 'delivered', delivery });
    return { shipment: view({ ...shipment, status: 'delivered', delivery }), fact: delivery };
  }

  /**
   * A receipt reported wrongly, corrected by the pledge's recipient (or an admin), named in the
   * fact as `reportedBy`: only once a receipt exists, with the same rules as a receipt. The
   * shipment's receipt becomes the corrected one (its time stays the receipt's); the receipt
   * and every correction stay in the log, each with its reason.
   */
  async applyCorrection(
    tx: Transaction,
    role: Role,
    correction: ShipmentDeliveryCorrectedV1,
  ): Promise<Applied<ShipmentDeliveryCorrectedV1>> {
    const shipment = await this.shipments.lock(tx, correction.shipmentId);
    if (shipment === undefined) throw new NotFound('shipment', correction.shipmentId);
    const pledge = await this.pledges.find(tx, shipment.pledgeId);
    checkRecipientScope(role, shipment, pledge?.recipient ?? null);
    const previous = shipment.delivery;
    if (shipment.status !== 'delivered' || previous === null) {
      throw new Conflict(
        'no-receipt',
        `shipment ${shipment.shipmentId} has no receipt yet: confirm receipt before correcting it`,
      );
    }
    const { reason, correctedAt, reportedBy: _claimed, ...figures } = correction;
    const checked = checkReceipt(shipment, { ...figures, receivedAt: previous.receivedAt });
    const reportedBy = role.kind === 'recipient' ? `recipient:${role.country}` : 'admin';
    const delivery = { ...checked, reportedBy };
    await this.shipments.update(tx, shipment.shipmentId, { delivery });
    const { receivedAt: _receivedAt, ...corrected } = checked;
    return {
      shipment: view({ ...shipment, delivery }),
      fact: { ...corrected, reason, correctedAt, reportedBy },
    };
  }

  /** Goods lost on the way: never after delivery, never more than is still on its way. */
  async applyLoss(
    tx: Transaction,
    role: Role,
    loss: ShipmentLostV1,
  ): Promise<Applied<ShipmentLostV1>> {
    const shipment = await this.sent(tx, role, loss.shipmentId);
    if (shipment.status === 'delivered') {
      throw new Conflict(
        'shipment-delivered',
        `shipment ${shipment.shipmentId} was delivered: losses are reported before delivery`,
      );
    }
    checkLoss(shipment, loss);
    const lost = shipment.lost + loss.quantity;
    await this.shipments.update(tx, shipment.shipmentId, { status: 'lost', lost });
    return { shipment: view({ ...shipment, status: 'lost', lost }), fact: loss };
  }

  private publish<T extends EventType>(
    tx: Transaction,
    type: T,
    applied: Applied<PayloadOf<T>>,
  ): ShipmentView {
    if (applied.fact !== undefined) tx.emit(this.events.create(type, applied.fact));
    return applied.shipment;
  }

  private repeatedDispatch(
    role: Role,
    existing: ShipmentEntity,
    dispatch: ShipmentDispatchedV1,
    origin: DispatchOrigin,
  ): ShipmentView {
    checkSenderScope(role, existing);
    if (
      existing.producer !== origin.owner ||
      !sameDispatch(existing.dispatch, dispatch, origin.timeGiven)
    ) {
      throw new Conflict(
        'shipment-exists',
        `shipment ${dispatch.shipmentId} was already dispatched with other content`,
        'shipmentId',
      );
    }
    return view(existing);
  }

  /** Whether `role` may send this dispatch against `pledge`; see shipment.parties.ts. */
  private async checkSender(
    tx: Transaction,
    role: Role,
    pledge: KnownPledge,
    dispatch: ShipmentDispatchedV1,
  ): Promise<void> {
    switch (role.kind) {
      case 'admin':
        return;
      case 'producer': {
        const allocation = await this.allocations.allocatedBy(tx, role.org, pledge.pledgeId);
        const { shipped } = await this.shipments.shippedAgainst(tx, pledge.pledgeId, role.org);
        checkProducerDispatch(role.org, pledge, dispatch, allocation, shipped);
        return;
      }
      case 'donor': {
        const { shipped, lost } = await this.shipments.shippedAgainst(tx, pledge.pledgeId);
        checkDonorDispatch(role.country, pledge, dispatch, shipped - lost);
        return;
      }
      case 'ops':
      case 'recipient':
        throw new Forbidden(`${describeRole(role)} cannot dispatch shipments`);
    }
  }

  /** The pledge of a dispatch, locked so dispatches against it are checked one at a time. */
  private async openPledge(tx: Transaction, dispatch: ShipmentDispatchedV1): Promise<KnownPledge> {
    const pledge = await this.pledges.find(tx, dispatch.pledgeId, 'update');
    if (pledge === undefined) {
      throw new ViewLagging(
        `pledge ${dispatch.pledgeId} is not known yet: shipment-service learns pledges from ${TOPICS.pledges} and may lag behind; retry shortly`,
        'pledgeId',
      );
    }
    if (pledge.status === 'cancelled') {
      throw new Conflict(
        'pledge-cancelled',
        `pledge ${pledge.pledgeId} is cancelled: it takes no new shipments`,
        'pledgeId',
      );
    }
    if (pledge.itemCode !== dispatch.itemCode) {
      throw new RuleViolation(
        'item-differs-from-pledge',
        `itemCode ${dispatch.itemCode} is not the item of pledge ${pledge.pledgeId} (${pledge.itemCode})`,
        'itemCode',
      );
    }
    return pledge;
  }

  /** The shipment, locked, when `role` sent it (or is an admin). */
  private async sent(tx: Transaction, role: Role, shipmentId: string): Promise<ShipmentEntity> {
    const shipment = await this.shipments.lock(tx, shipmentId);
    if (shipment === undefined) throw new NotFound('shipment', shipmentId);
    checkSenderScope(role, shipment);
    return shipment;
  }
}
