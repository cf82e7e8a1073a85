import { Module } from '@nestjs/common';
import { CalendarFeedController, CalendarFeedLinkController } from './calendar-feed.controller';
import { CalendarFeedService } from './calendar-feed.service';

/** Per-practitioner ICS feeds behind signed URLs (issue 3, item 6). */
@Module({
  controllers: [CalendarFeedLinkController, CalendarFeedController],
  providers: [CalendarFeedService],
})
export class CalendarFeedModule {}
