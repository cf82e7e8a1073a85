import { Injectable } from '@nestjs/common';
import { type Practitioner, type Room } from '@tautline/domain';
import { type EntityManager } from 'typeorm';
import { type TenantScope } from '../tenancy/tenant-scope';
import { PractitionersService } from './practitioners.service';
import { RoomsService } from './rooms.service';

export interface ClinicResources {
  /** Every room of the clinic, inactive ones included (`active: false`; the engine skips them). */
  rooms: Room[];
  /** Active practitioners working at the clinic; `clinicIds` lists only the caller's clinics. */
  practitioners: Practitioner[];
}

/** What the slot search and booking read about a clinic's resources, in the domain's shapes. */
@Injectable()
export class ResourcesService {
  constructor(
    private readonly rooms: RoomsService,
    private readonly practitioners: PractitionersService,
  ) {}

  /**
   * Rooms and practitioners of one of the caller's clinics (404 otherwise): three queries, however
   * many there are. Pass `manager` to read inside the caller's transaction.
   */
  async forSlotSearch(
    scope: TenantScope,
    clinicId: string,
    manager?: EntityManager,
  ): Promise<ClinicResources> {
    const rooms = await this.rooms.list(scope, clinicId, manager);
    const practitioners = await this.practitioners.forClinic(scope, clinicId, manager);
    return {
      rooms,
      practitioners: practitioners.map((p) => ({
        id: p.id,
        name: p.name,
        dryNeedlingCertExpiresOn: p.dryNeedlingCertExpiresOn,
        estimQualified: p.estimQualified,
        clinicIds: p.clinicIds,
      })),
    };
  }
}
