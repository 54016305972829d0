import { Injectable } from '@nestjs/common';
import { ProgrammeDeclaredV1 } from '@tracker/contracts';
import { Forbidden, NotFound } from '@tracker/errors';
import { WriteRequest } from '@tracker/http';
import { EventFactory, UnitOfWork, Written } from '@tracker/outbox';
import { ProgrammeEntity } from './programme.entity';
import { ProgrammeRepository } from './programme.repository';
import { DeclareProgrammeBody } from './programme.requests';

/** A programme as the API shows it: public to every token. */
export interface ProgrammeView {
  readonly programmeId: string;
  readonly name: string;
  readonly itemCode: string;
  readonly targetQuantity: number;
  readonly deadline: string;
  readonly sourceUrl: string | null;
  /** When it was first declared, and when its declaration last changed (RFC 3339). */
  readonly declaredAt: string;
  readonly updatedAt: string;
}

function view(programme: ProgrammeEntity): ProgrammeView {
  const sourceUrl = programme.declaration.sourceUrl;
  return {
    programmeId: programme.programmeId,
    name: programme.name,
    itemCode: programme.itemCode,
    targetQuantity: programme.targetQuantity,
    deadline: programme.deadline,
    sourceUrl: typeof sourceUrl === 'string' ? sourceUrl : null,
    declaredAt: programme.declaredAt.toISOString(),
    updatedAt: programme.updatedAt.toISOString(),
  };
}

function toEntity(declaration: ProgrammeDeclaredV1, declaredAt: Date): ProgrammeEntity {
  const entity = new ProgrammeEntity();
  entity.programmeId = declaration.programmeId;
  entity.name = declaration.name;
  entity.itemCode = declaration.itemCode;
  entity.targetQuantity = declaration.targetQuantity;
  entity.deadline = declaration.deadline;
  entity.declaration = declaration;
  entity.declaredAt = declaredAt;
  entity.updatedAt = new Date();
  return entity;
}

function sameDeclaration(recorded: Record<string, unknown>, repeated: ProgrammeDeclaredV1) {
  const sorted = (value: object) =>
    JSON.stringify(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
  return sorted(recorded) === sorted(repeated);
}

/**
 * Declares aid programmes (admin only): a target quantity of one item by a deadline. Declaring
 * an existing programme again with other content replaces its declaration (an amendment, a new
 * event); with the same content it changes nothing and publishes nothing.
 */
@Injectable()
export class ProgrammeService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly programmes: ProgrammeRepository,
    private readonly events: EventFactory,
  ) {}

  declare(
    request: WriteRequest,
    declaration: DeclareProgrammeBody,
  ): Promise<Written<ProgrammeView>> {
    if (request.caller.role.kind !== 'admin') {
      throw new Forbidden(`A ${request.caller.role.kind} token cannot declare programmes`);
    }
    return this.unitOfWork.write(request, async (tx) => {
      const entity = toEntity(declaration, new Date());
      if (await this.programmes.insert(tx, entity)) {
        tx.emit(this.events.create('tracker.programme.declared.v1', declaration));
        return view(entity);
      }
      const existing = await this.programmes.lock(tx, declaration.programmeId);
      if (existing === undefined) {
        throw new Error(`programme ${declaration.programmeId} vanished while declared`);
      }
      if (sameDeclaration(existing.declaration, declaration)) return view(existing);
      const replaced = toEntity(declaration, existing.declaredAt);
      await this.programmes.replace(tx, replaced);
      tx.emit(this.events.create('tracker.programme.declared.v1', declaration));
      return view(replaced);
    });
  }

  async get(programmeId: string): Promise<ProgrammeView> {
    const programme = await this.programmes.find(programmeId);
    if (programme === undefined) throw new NotFound('programme', programmeId);
    return view(programme);
  }

  async list(): Promise<{ items: ProgrammeView[] }> {
    return { items: (await this.programmes.list()).map(view) };
  }
}
