import { Module } from '@nestjs/common';
import { ReminderOutboxService } from './reminder-outbox.service';
import { remindersQueueProvider } from './reminders.queue';

/** The outbox writer, imported by every feature whose changes plan or withdraw reminders. */
@Module({
  providers: [ReminderOutboxService, remindersQueueProvider],
  exports: [ReminderOutboxService],
})
export class ReminderOutboxModule {}
