import { Module } from '@nestjs/common';
import { ReminderOutboxModule } from '../reminders/reminder-outbox.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { HelpReplyLimiter } from './help-reply.limiter';
import { PatientMessagesService } from './patient-messages.service';
import { SmsReplyService } from './sms-reply.service';
import { SmsSignatureGuard } from './sms-signature.guard';
import { SmsSubscriptionService } from './sms-subscription.service';
import { PatientMessagesController, SmsWebhookController } from './sms-webhook.controller';

/** Inbound SMS replies to reminders (C, R, STOP, START, HELP) and a patient's message history (issue 4, item 7). */
@Module({
  imports: [SchedulingModule, ReminderOutboxModule],
  controllers: [SmsWebhookController, PatientMessagesController],
  providers: [
    HelpReplyLimiter,
    SmsReplyService,
    SmsSubscriptionService,
    PatientMessagesService,
    SmsSignatureGuard,
  ],
})
export class SmsWebhookModule {}
