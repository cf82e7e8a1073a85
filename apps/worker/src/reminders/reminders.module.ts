import { Module } from '@nestjs/common';
import { messageChannelsProvider } from './channels/channels.provider';
import { ReminderProcessor } from './reminder.processor';

@Module({ providers: [messageChannelsProvider, ReminderProcessor] })
export class RemindersModule {}
