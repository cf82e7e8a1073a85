import { Module } from '@nestjs/common';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { PatientLinksController } from './patient-links.controller';
import { PatientLinksService } from './patient-links.service';
import { PatientLinkReader } from './patient-link.reader';

/** Patient self-service through signed reminder links (issue 4, item 8). */
@Module({
  imports: [SchedulingModule],
  controllers: [PatientLinksController],
  providers: [PatientLinkReader, PatientLinksService],
})
export class PatientLinksModule {}
