import { Module } from '@nestjs/common';
import { PatientAuditTrail } from './patient-audit';
import { PatientScreeningController } from './patient-screening.controller';
import { PatientScreeningService } from './patient-screening.service';
import { PatientsController } from './patients.controller';
import { PatientsService } from './patients.service';

/** Patient records and screening. Exports `PatientsService.screeningFor` for booking checks. */
@Module({
  controllers: [PatientsController, PatientScreeningController],
  providers: [PatientsService, PatientScreeningService, PatientAuditTrail],
  exports: [PatientsService],
})
export class PatientsModule {}
