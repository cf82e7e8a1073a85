import { Module } from '@nestjs/common';
import { AppointmentTypesController } from './appointment-types.controller';
import { AppointmentTypesService } from './appointment-types.service';
import { PractitionersController } from './practitioners.controller';
import { PractitionersService } from './practitioners.service';
import { ResourcesService } from './resources.service';
import { RoomsController } from './rooms.controller';
import { RoomsService } from './rooms.service';

/**
 * Rooms, practitioners and appointment types: CRUD for admins, reads for everyone, all scoped.
 * Exports the read services the slot search and booking use (`ResourcesService.forSlotSearch`,
 * `AppointmentTypesService.get`, `PractitionersService.clinicsOf`).
 */
@Module({
  controllers: [RoomsController, PractitionersController, AppointmentTypesController],
  providers: [RoomsService, PractitionersService, AppointmentTypesService, ResourcesService],
  exports: [ResourcesService, AppointmentTypesService, PractitionersService, RoomsService],
})
export class ResourcesModule {}
