import { Injectable } from '@nestjs/common';
import { AppointmentTypeEntity } from '@tautline/db';
import {
  AppointmentType,
  type AppointmentTypeView,
  type CreateAppointmentTypeRequest,
  type UpdateAppointmentTypeRequest,
} from '@tautline/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { notFound, validationProblem } from '../common/problem';
import { inTransaction } from '../common/transaction';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { changedFields, writeFailure } from './write-errors';

const DUPLICATE_NAME = {
  field: 'body.name',
  message: 'another appointment type of the organisation already has this name',
};

/** Appointment types are organisation-wide: every clinic of the organisation books the same ones. */
@Injectable()
export class AppointmentTypesService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(scope: TenantScope): Promise<AppointmentTypeView[]> {
    const rows = await this.db.getRepository(AppointmentTypeEntity).find({
      where: { organisationId: scope.organisationId },
      order: { name: 'ASC', id: 'ASC' },
    });
    return rows.map(toView);
  }

  /** The API's view, with `active`. */
  async find(
    scope: TenantScope,
    id: string,
    manager: EntityManager = this.db.manager,
  ): Promise<AppointmentTypeView> {
    return toView(await this.row(manager, scope, id));
  }

  /**
   * The type as the slot engine reads it (404 when it is not the organisation's). Retired types
   * (`active: false`) are still answered, so existing bookings of them can be moved; use `find`
   * to refuse new bookings of a retired type.
   */
  async get(
    scope: TenantScope,
    id: string,
    manager: EntityManager = this.db.manager,
  ): Promise<AppointmentType> {
    return toAppointmentType(await this.row(manager, scope, id));
  }

  async create(
    scope: TenantScope,
    user: AuthenticatedUser,
    body: CreateAppointmentTypeRequest,
  ): Promise<AppointmentTypeView> {
    try {
      return await inTransaction(this.db, async (tx) => {
        const types = tx.getRepository(AppointmentTypeEntity);
        const row = await types.save(
          types.create({ ...body, organisationId: scope.organisationId }),
        );
        await this.audit.record(tx, user, {
          action: 'appointment_type.created',
          subjectType: 'appointment_type',
          subjectId: row.id,
          details: { durationMinutes: row.durationMinutes, usesEstim: row.usesEstim },
        });
        return toView(row);
      });
    } catch (error) {
      throw writeFailure(error, DUPLICATE_NAME);
    }
  }

  /** Bookings copy their buffers, so a change here never moves an existing appointment. */
  async update(
    scope: TenantScope,
    user: AuthenticatedUser,
    id: string,
    body: UpdateAppointmentTypeRequest,
  ): Promise<AppointmentTypeView> {
    try {
      return await inTransaction(this.db, async (tx) => {
        const row = await this.row(tx, scope, id, true);
        const { active, ...fields } = body;
        // The rules hold for the record as it will be, e.g. e-stim switched on for a type without the certification.
        const merged = AppointmentType.safeParse({ ...toAppointmentType(row), ...fields });
        if (!merged.success) {
          throw validationProblem(
            merged.error.issues.map((i) => ({
              field: ['body', ...i.path.map(String)].join('.'),
              message: i.message,
            })),
          );
        }
        const { id: _id, ...next } = merged.data;
        Object.assign(row, next, active === undefined ? {} : { active });
        await tx.getRepository(AppointmentTypeEntity).save(row);
        await this.audit.record(tx, user, {
          action: 'appointment_type.updated',
          subjectType: 'appointment_type',
          subjectId: id,
          details: { fields: changedFields(body) },
        });
        return toView(row);
      });
    } catch (error) {
      throw writeFailure(error, DUPLICATE_NAME);
    }
  }

  private async row(
    manager: EntityManager,
    scope: TenantScope,
    id: string,
    lock = false,
  ): Promise<AppointmentTypeEntity> {
    const qb = manager
      .getRepository(AppointmentTypeEntity)
      .createQueryBuilder('type')
      .where('type.id = :id AND type.organisationId = :org', { id, org: scope.organisationId });
    // FOR NO KEY UPDATE: bookings referring to the type (a foreign key check) are not held up.
    if (lock) qb.setLock('for_no_key_update');
    const row = await qb.getOne();
    if (!row) throw notFound('appointment type', id);
    return row;
  }
}

function toAppointmentType(row: AppointmentTypeEntity): AppointmentType {
  return {
    id: row.id,
    name: row.name,
    durationMinutes: row.durationMinutes,
    bufferBeforeMinutes: row.bufferBeforeMinutes,
    bufferAfterMinutes: row.bufferAfterMinutes,
    requiresDryNeedlingCert: row.requiresDryNeedlingCert,
    usesEstim: row.usesEstim,
    colour: row.colour,
  };
}

function toView(row: AppointmentTypeEntity): AppointmentTypeView {
  return { ...toAppointmentType(row), active: row.active };
}
