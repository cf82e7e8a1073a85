import { Module } from '@nestjs/common';
import { ReminderOutboxModule } from './reminder-outbox.module';
import { RemindersController } from './reminders.controller';
import { RemindersService } from './reminders.service';

/** Reminder reads, policies and the log channel's messages. */
@Module({
  imports: [ReminderOutboxModule],
  controllers: [RemindersController],
  providers: [RemindersService],
})
export class RemindersModule {}
