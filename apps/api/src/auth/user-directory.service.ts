import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Role } from '@tautline/domain';
import { DataSource } from 'typeorm';
import { type AuthenticatedUser } from '../tenancy/tenant-scope';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisation_id: string;
  password_hash: string;
  clinic_ids: string[];
}

/** Reads users with their current clinic memberships in one query (used per request and per socket). */
@Injectable()
export class UserDirectory {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private async find(where: string, value: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.db.query(
      `SELECT u.id, u.email, u.name, u.role, u.organisation_id, u.password_hash,
              coalesce(array_agg(m.clinic_id ORDER BY m.clinic_id) FILTER (WHERE m.clinic_id IS NOT NULL), '{}') AS clinic_ids
         FROM users u LEFT JOIN clinic_memberships m ON m.user_id = u.id
        WHERE ${where} = $1 AND u.active
        GROUP BY u.id`,
      [value],
    );
    return rows[0];
  }

  async byEmailWithHash(
    email: string,
  ): Promise<(AuthenticatedUser & { passwordHash: string }) | undefined> {
    const row = await this.find('u.email', email);
    return row && { ...toUser(row), passwordHash: row.password_hash };
  }

  async byId(id: string): Promise<AuthenticatedUser | undefined> {
    const row = await this.find('u.id', id);
    return row && toUser(row);
  }
}

function toUser(row: UserRow): AuthenticatedUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    organisationId: row.organisation_id,
    clinicIds: row.clinic_ids,
  };
}
