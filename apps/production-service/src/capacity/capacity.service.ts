import { Injectable } from '@nestjs/common';
import { maySee, Viewer } from '@tracker/access';
import { CapacityDeclaredV1 } from '@tracker/contracts';
import { Conflict, NotFound } from '@tracker/errors';
import { WriteRequest } from '@tracker/http';
import { EventFactory, Transaction, UnitOfWork, Written } from '@tracker/outbox';
import { v7 as uuidv7 } from 'uuid';
import { checkProducerScope } from '../common/caller-scope';
import { capacityFact } from '../common/read-scope';
import { sameContent } from '../common/same-content';
import { CapacityEntity } from './capacity.entity';
import { CapacityRepository } from './capacity.repository';
import { DeclareCapacityBody } from './capacity.requests';

/** Declares production capacity: a line's monthly output of one item from a date. */
@Injectable()
export class CapacityService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly capacity: CapacityRepository,
    private readonly events: EventFactory,
  ) {}

  /**
   * Records and publishes a declaration. A repeat with an id already declared is answered with
   * the first declaration when its content is the same (nothing is published), 409 otherwise.
   */
  declare(request: WriteRequest, input: DeclareCapacityBody): Promise<Written<CapacityDeclaredV1>> {
    checkProducerScope(request.caller.role, input.manufacturer, 'capacity');
    const declaration: CapacityDeclaredV1 = { ...input, capacityId: input.capacityId ?? uuidv7() };
    return this.unitOfWork.write(request, async (tx) => {
      if (await this.capacity.insert(tx, toEntity(declaration))) {
        tx.emit(this.events.create('tracker.production.capacity-declared.v1', declaration));
        return declaration;
      }
      return this.repeatedDeclaration(tx, declaration);
    });
  }

  /** A declaration, to its producer (and admin, ops); 404 to others, as if there were none. */
  async get(viewer: Viewer, capacityId: string): Promise<CapacityDeclaredV1> {
    const capacity = await this.capacity.find(capacityId);
    if (capacity === undefined || !maySee(viewer, capacityFact(capacity))) {
      throw new NotFound('capacity', capacityId);
    }
    return capacity.declaration as CapacityDeclaredV1;
  }

  private async repeatedDeclaration(
    tx: Transaction,
    declaration: CapacityDeclaredV1,
  ): Promise<CapacityDeclaredV1> {
    const existing = await this.capacity.lock(tx, declaration.capacityId);
    if (existing === undefined) {
      throw new Error(`capacity ${declaration.capacityId} vanished while declared`);
    }
    if (!sameContent(existing.declaration, declaration)) {
      throw new Conflict(
        'capacity-exists',
        `capacity ${declaration.capacityId} was already declared with other content`,
        'capacityId',
      );
    }
    return existing.declaration as CapacityDeclaredV1;
  }
}

function toEntity(declaration: CapacityDeclaredV1): CapacityEntity {
  const entity = new CapacityEntity();
  entity.capacityId = declaration.capacityId;
  entity.manufacturer = declaration.manufacturer;
  entity.itemCode = declaration.itemCode;
  entity.declaration = declaration;
  entity.declaredAt = new Date();
  return entity;
}
