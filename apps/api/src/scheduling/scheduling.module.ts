import { Module } from '@nestjs/common';
import { ReminderOutboxModule } from '../reminders/reminder-outbox.module';
import { AvailabilityModule } from '../availability/availability.module';
import { ClinicsModule } from '../clinics/clinics.module';
import { PatientsModule } from '../patients/patients.module';
import { ResourcesModule } from '../resources/resources.module';
import { AppointmentStatusController } from './appointment-status.controller';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsRepository } from './appointments.repository';
import { BookingContextService } from './booking-context.service';
import { BookingPlanService } from './booking-plan.service';
import { BookingService } from './booking.service';
import { IdempotencyService } from './idempotency.service';
import { SeriesService } from './series.service';
import { SlotsController } from './slots.controller';
import { SlotsService } from './slots.service';

@Module({
  imports: [
    ClinicsModule,
    ResourcesModule,
    AvailabilityModule,
    PatientsModule,
    ReminderOutboxModule,
  ],
  controllers: [SlotsController, AppointmentsController, AppointmentStatusController],
  providers: [
    AppointmentsRepository,
    BookingContextService,
    BookingPlanService,
    BookingService,
    IdempotencyService,
    SeriesService,
    SlotsService,
  ],
  exports: [AppointmentsRepository, BookingService, SlotsService],
})
export class SchedulingModule {}
