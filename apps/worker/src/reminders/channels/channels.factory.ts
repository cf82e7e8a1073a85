import { type Env } from '@tautline/config';
import { DataSource } from 'typeorm';
import { SmtpEmailChannel } from './email.channel';
import { LogChannel } from './log.channel';
import { type MessageChannel } from './message-channel';
import { HttpSmsChannel } from './sms.channel';

export interface MessageChannels {
  sms: MessageChannel;
  email: MessageChannel;
  close(): Promise<void>;
}

/** The channels this deployment sends through, chosen by SMS_TRANSPORT and EMAIL_TRANSPORT. */
export function createMessageChannels(env: Env, db: DataSource): MessageChannels {
  const sms = env.SMS_TRANSPORT === 'http' ? new HttpSmsChannel(env) : new LogChannel('sms', db);
  const smtp = env.EMAIL_TRANSPORT === 'smtp' ? new SmtpEmailChannel(env) : undefined;
  return {
    sms,
    email: smtp ?? new LogChannel('email', db),
    close: async () => {
      await smtp?.close();
    },
  };
}
