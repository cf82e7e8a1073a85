import { Module } from '@nestjs/common';
import { ResourcesModule } from '../resources/resources.module';
import { AvailabilityChangesService } from './availability-changes.service';
import { AvailabilityController } from './availability.controller';
import { AvailabilityService } from './availability.service';
import { ClosuresController } from './closures.controller';
import { ClosuresService } from './closures.service';

/**
 * Practitioners' weekly rules and exceptions, and clinic closures. Exports `AvailabilityService`
 * (`forSlotSearch`) for the slot search and booking.
 */
@Module({
  imports: [ResourcesModule],
  controllers: [AvailabilityController, ClosuresController],
  providers: [AvailabilityService, AvailabilityChangesService, ClosuresService],
  exports: [AvailabilityService],
})
export class AvailabilityModule {}
