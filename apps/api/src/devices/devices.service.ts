import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type CreateDeviceRequest,
  type Device,
  type DeviceWithKey,
  type UpdateDeviceRequest,
} from '@tautline/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PG, pgErrorOf } from '../common/pg-errors';
import { notFound, Problem } from '../common/problem';
import { inTransaction } from '../common/transaction';
import { conflict } from '../resources/write-errors';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { hashDeviceKey, newDeviceKey } from './device-key';

interface DeviceRow {
  id: string;
  organisation_id: string;
  clinic_id: string;
  room_id: string | null;
  serial: string;
  model: string;
  firmware: string;
  channels: number;
  key_hint: string;
  key_rotated_at: Date;
  revoked_at: Date | null;
  last_seen_at: Date | null;
  created_at: Date;
}

const COLUMNS = `id, organisation_id, clinic_id, room_id, serial, model, firmware, channels, key_hint, key_rotated_at,
  revoked_at, last_seen_at, created_at`;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toDevice(r: DeviceRow): Device {
  return {
    id: r.id,
    clinicId: r.clinic_id,
    roomId: r.room_id,
    serial: r.serial,
    model: r.model,
    firmware: r.firmware,
    channels: r.channels,
    keyHint: r.key_hint,
    keyRotatedAt: r.key_rotated_at.toISOString(),
    revokedAt: iso(r.revoked_at),
    lastSeenAt: iso(r.last_seen_at),
    createdAt: r.created_at.toISOString(),
  };
}

/** What an authenticated device is allowed to know about itself. */
export interface AuthenticatedDevice {
  id: string;
  organisationId: string;
  clinicId: string;
  roomId: string | null;
}

/** The stimulator registry: scoped to the caller's clinics; keys shown once, stored as hashes. */
@Injectable()
export class DevicesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(scope: TenantScope, clinicId: string): Promise<Device[]> {
    scope.requireClinic(clinicId);
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM devices WHERE clinic_id = $1 AND organisation_id = $2 ORDER BY serial`,
      [clinicId, scope.organisationId],
    )) as DeviceRow[];
    return rows.map(toDevice);
  }

  async get(scope: TenantScope, id: string): Promise<Device> {
    return toDevice(await this.find(this.db.manager, scope, id));
  }

  async create(
    scope: TenantScope,
    user: AuthenticatedUser,
    clinicId: string,
    body: CreateDeviceRequest,
  ): Promise<DeviceWithKey> {
    scope.requireClinic(clinicId);
    const { key, hash, hint } = newDeviceKey();
    const row = await this.write(async (tx) => {
      await this.requireStimulatorRoom(tx, scope, clinicId, body.roomId);
      const [created] = (await tx.query(
        `INSERT INTO devices (organisation_id, clinic_id, room_id, serial, model, firmware, channels, key_hash, key_hint)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
        [
          scope.organisationId,
          clinicId,
          body.roomId,
          body.serial,
          body.model,
          body.firmware,
          body.channels,
          hash,
          hint,
        ],
      )) as DeviceRow[];
      await this.audit.record(tx, user, {
        action: 'device.created',
        subjectType: 'device',
        subjectId: created!.id,
        clinicId,
      });
      return created!;
    });
    return { ...toDevice(row), key };
  }

  async update(
    scope: TenantScope,
    user: AuthenticatedUser,
    id: string,
    body: UpdateDeviceRequest,
  ): Promise<Device> {
    return toDevice(
      await this.write(async (tx) => {
        const current = await this.find(tx, scope, id, true);
        if (body.roomId !== undefined)
          await this.requireStimulatorRoom(tx, scope, current.clinic_id, body.roomId);
        const [[row]] = (await tx.query(
          `UPDATE devices SET room_id = CASE WHEN $2 THEN $3::uuid ELSE room_id END,
                  model = coalesce($4, model), firmware = coalesce($5, firmware)
            WHERE id = $1 RETURNING ${COLUMNS}`,
          [
            id,
            body.roomId !== undefined,
            body.roomId ?? null,
            body.model ?? null,
            body.firmware ?? null,
          ],
        )) as [DeviceRow[], number];
        await this.audit.record(tx, user, {
          action: 'device.updated',
          subjectType: 'device',
          subjectId: id,
          clinicId: current.clinic_id,
          details: { fields: Object.keys(body).sort().join(',') },
        });
        return row!;
      }),
    );
  }

  /** A new key replaces the old one at once (the old stops working); a revoked device stays revoked. */
  async rotateKey(scope: TenantScope, user: AuthenticatedUser, id: string): Promise<DeviceWithKey> {
    const { key, hash, hint } = newDeviceKey();
    const row = await this.write(async (tx) => {
      const current = await this.find(tx, scope, id, true);
      if (current.revoked_at)
        throw new Problem(HttpStatus.CONFLICT, 'Conflict', 'a revoked device cannot get a new key');
      const [[rotated]] = (await tx.query(
        `UPDATE devices SET key_hash = $2, key_hint = $3, key_rotated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, hash, hint],
      )) as [DeviceRow[], number];
      await this.audit.record(tx, user, {
        action: 'device.key_rotated',
        subjectType: 'device',
        subjectId: id,
        clinicId: current.clinic_id,
      });
      return rotated!;
    });
    return { ...toDevice(row), key };
  }

  /** Revoking frees the device's room and stops its key; telemetry from it answers 401 from then on. */
  async revoke(scope: TenantScope, user: AuthenticatedUser, id: string): Promise<Device> {
    return toDevice(
      await this.write(async (tx) => {
        const current = await this.find(tx, scope, id, true);
        const [[row]] = (await tx.query(
          `UPDATE devices SET revoked_at = coalesce(revoked_at, now()), room_id = NULL WHERE id = $1 RETURNING ${COLUMNS}`,
          [id],
        )) as [DeviceRow[], number];
        await this.audit.record(tx, user, {
          action: 'device.revoked',
          subjectType: 'device',
          subjectId: id,
          clinicId: current.clinic_id,
        });
        return row!;
      }),
    );
  }

  /**
   * The device a key belongs to, unless revoked; null for any unknown key. Devices post several
   * times a second, so `last_seen_at` is written at most every 30 s, not on every batch.
   */
  async authenticate(key: string): Promise<AuthenticatedDevice | null> {
    const [row] = (await this.db.query(
      `WITH device AS (
         SELECT id, organisation_id, clinic_id, room_id, last_seen_at FROM devices WHERE key_hash = $1 AND revoked_at IS NULL),
       seen AS (
         UPDATE devices d SET last_seen_at = now() FROM device
          WHERE d.id = device.id AND (device.last_seen_at IS NULL OR device.last_seen_at < now() - interval '30 seconds'))
       SELECT id, organisation_id, clinic_id, room_id FROM device`,
      [hashDeviceKey(key)],
    )) as { id: string; organisation_id: string; clinic_id: string; room_id: string | null }[];
    return row
      ? {
          id: row.id,
          organisationId: row.organisation_id,
          clinicId: row.clinic_id,
          roomId: row.room_id,
        }
      : null;
  }

  private async find(
    tx: EntityManager,
    scope: TenantScope,
    id: string,
    lock = false,
  ): Promise<DeviceRow> {
    const [row] = (await tx.query(
      `SELECT ${COLUMNS} FROM devices WHERE id = $1 AND organisation_id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [id, scope.organisationId],
    )) as DeviceRow[];
    if (!row || !scope.hasClinic(row.clinic_id)) throw notFound('device', id);
    return row;
  }

  private async requireStimulatorRoom(
    tx: EntityManager,
    scope: TenantScope,
    clinicId: string,
    roomId: string | null,
  ): Promise<void> {
    if (roomId === null) return;
    const [room] = (await tx.query(
      `SELECT has_stimulator FROM rooms WHERE id = $1 AND clinic_id = $2 AND organisation_id = $3`,
      [roomId, clinicId, scope.organisationId],
    )) as { has_stimulator: boolean }[];
    if (!room) throw notFound('room', roomId);
    if (!room.has_stimulator) {
      throw new Problem(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'Cannot place device',
        'the room is not set up for a stimulator',
        [
          {
            field: 'body.roomId',
            message: 'is not a stimulator room (set hasStimulator on the room first)',
          },
        ],
      );
    }
  }

  /** Unique violations name the field that clashes; the transaction has rolled back. */
  private async write<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await inTransaction(this.db, work);
    } catch (error) {
      const pg = pgErrorOf(error);
      if (pg?.code === PG.uniqueViolation && pg.constraint === 'devices_one_per_room')
        throw conflict('body.roomId', 'another active device is already in this room');
      if (pg?.code === PG.uniqueViolation && pg.constraint === 'devices_organisation_id_serial_key')
        throw conflict('body.serial', 'a device with this serial is already registered');
      throw error;
    }
  }
}
