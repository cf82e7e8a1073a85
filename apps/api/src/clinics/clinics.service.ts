import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ClinicEntity } from '@tautline/db';
import { type Clinic } from '@tautline/domain';
import { Repository } from 'typeorm';
import { notFound } from '../common/problem';
import { type TenantScope } from '../tenancy/tenant-scope';

@Injectable()
export class ClinicsService {
  constructor(@InjectRepository(ClinicEntity) private readonly clinics: Repository<ClinicEntity>) {}

  async list(scope: TenantScope): Promise<Clinic[]> {
    const qb = this.clinics.createQueryBuilder('clinic').orderBy('clinic.name');
    const rows = await scope.apply(qb, 'clinic', { clinic: 'id' }).getMany();
    return rows.map(toClinic);
  }

  async get(scope: TenantScope, id: string): Promise<Clinic> {
    const qb = this.clinics.createQueryBuilder('clinic').where('clinic.id = :id', { id });
    const row = await scope.apply(qb, 'clinic', { clinic: 'id' }).getOne();
    if (!row) throw notFound('clinic', id);
    return toClinic(row);
  }
}

function toClinic(row: ClinicEntity): Clinic {
  return {
    id: row.id,
    organisationId: row.organisationId,
    name: row.name,
    timeZone: row.timeZone,
    phone: row.phone,
  };
}
