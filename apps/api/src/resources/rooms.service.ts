import { Injectable } from '@nestjs/common';
import { RoomEntity } from '@tautline/db';
import {
  type CreateRoomRequest,
  type Room,
  type RoomRemoval,
  type UpdateRoomRequest,
} from '@tautline/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PG, pgErrorOf } from '../common/pg-errors';
import { notFound } from '../common/problem';
import { inTransaction } from '../common/transaction';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { changedFields, writeFailure } from './write-errors';

const DUPLICATE_NAME = {
  field: 'body.name',
  message: 'another room of this clinic already has this name',
};

@Injectable()
export class RoomsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Every room of one of the caller's clinics, inactive ones included, by name. */
  async list(
    scope: TenantScope,
    clinicId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<Room[]> {
    scope.requireClinic(clinicId);
    const qb = manager
      .getRepository(RoomEntity)
      .createQueryBuilder('room')
      .where('room.clinicId = :clinicId', { clinicId })
      .orderBy('room.name');
    return (await scope.apply(qb, 'room').getMany()).map(toRoom);
  }

  async get(scope: TenantScope, id: string): Promise<Room> {
    return toRoom(await this.find(this.db.manager, scope, id));
  }

  async create(
    scope: TenantScope,
    user: AuthenticatedUser,
    clinicId: string,
    body: CreateRoomRequest,
  ): Promise<Room> {
    scope.requireClinic(clinicId);
    try {
      return await inTransaction(this.db, async (tx) => {
        const room = await tx
          .getRepository(RoomEntity)
          .save(
            tx
              .getRepository(RoomEntity)
              .create({ ...body, clinicId, organisationId: scope.organisationId }),
          );
        await this.audit.record(tx, user, {
          action: 'room.created',
          subjectType: 'room',
          subjectId: room.id,
          clinicId,
          details: { hasStimulator: room.hasStimulator, active: room.active },
        });
        return toRoom(room);
      });
    } catch (error) {
      throw writeFailure(error, DUPLICATE_NAME);
    }
  }

  async update(
    scope: TenantScope,
    user: AuthenticatedUser,
    id: string,
    body: UpdateRoomRequest,
  ): Promise<Room> {
    try {
      return await inTransaction(this.db, async (tx) => {
        // Not a key change: bookings being written for this room (their foreign key check) go on.
        const room = await this.find(tx, scope, id, 'for_no_key_update');
        Object.assign(room, body);
        await tx.getRepository(RoomEntity).save(room);
        await this.audit.record(tx, user, {
          action: 'room.updated',
          subjectType: 'room',
          subjectId: room.id,
          clinicId: room.clinicId,
          details: { fields: changedFields(body) },
        });
        return toRoom(room);
      });
    } catch (error) {
      throw writeFailure(error, DUPLICATE_NAME);
    }
  }

  /**
   * A room that anything refers to (appointments of any status, sessions, alerts, a device) is
   * deactivated so the history keeps its room; a room nothing refers to is deleted. The database's
   * foreign keys decide, so a table added later cannot be forgotten here.
   */
  async remove(scope: TenantScope, user: AuthenticatedUser, id: string): Promise<RoomRemoval> {
    return inTransaction(this.db, async (tx) => {
      // The row lock waits for, and then blocks, bookings being written for this room (their
      // foreign key check takes a share lock on it), so the answer below stays true.
      const room = await this.find(tx, scope, id, 'pessimistic_write');
      let outcome: RoomRemoval['outcome'] = 'deleted';
      await tx.query('SAVEPOINT room_delete');
      try {
        await tx.getRepository(RoomEntity).delete({ id });
      } catch (error) {
        if (pgErrorOf(error)?.code !== PG.foreignKeyViolation) throw error;
        await tx.query('ROLLBACK TO SAVEPOINT room_delete');
        await tx.getRepository(RoomEntity).update({ id }, { active: false });
        outcome = 'deactivated';
      }
      await this.audit.record(tx, user, {
        action: `room.${outcome}`,
        subjectType: 'room',
        subjectId: id,
        clinicId: room.clinicId,
      });
      return { id, outcome };
    });
  }

  private async find(
    manager: EntityManager,
    scope: TenantScope,
    id: string,
    lock?: 'for_no_key_update' | 'pessimistic_write',
  ): Promise<RoomEntity> {
    const qb = manager
      .getRepository(RoomEntity)
      .createQueryBuilder('room')
      .where('room.id = :id', { id });
    if (lock) qb.setLock(lock);
    const room = await scope.apply(qb, 'room').getOne();
    if (!room) throw notFound('room', id);
    return room;
  }
}

export function toRoom(row: RoomEntity): Room {
  return {
    id: row.id,
    clinicId: row.clinicId,
    name: row.name,
    hasStimulator: row.hasStimulator,
    active: row.active,
  };
}
