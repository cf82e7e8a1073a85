import { Module } from '@nestjs/common';
import { messageChannelsProvider } from './channels/channels.provider';
import { OutboxDispatcher, outboxQueueProvider } from './outbox.dispatcher';
import { ReminderProcessor } from './reminder.processor';

/** The one outbox's sender (every purpose), its reconciler, and the dispatcher other features queue rows with. */
@Module({
  providers: [messageChannelsProvider, outboxQueueProvider, OutboxDispatcher, ReminderProcessor],
  exports: [OutboxDispatcher],
})
export class RemindersModule {}
