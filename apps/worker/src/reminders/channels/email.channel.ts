import { type Env } from '@tautline/config';
import { createTransport, type Transporter } from 'nodemailer';
import {
  type DeliveryReceipt,
  type MessageChannel,
  type OutboundMessage,
  PermanentDeliveryError,
  redactContact,
  TransientDeliveryError,
} from './message-channel';

export type SmtpSettings = Pick<
  Env,
  | 'SMTP_HOST'
  | 'SMTP_PORT'
  | 'SMTP_SECURE'
  | 'SMTP_USER'
  | 'SMTP_PASSWORD'
  | 'EMAIL_FROM'
  | 'MESSAGE_PROVIDER_TIMEOUT_MS'
>;

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** Email reminders through any SMTP relay. */
export class SmtpEmailChannel implements MessageChannel {
  readonly channel = 'email' as const;
  readonly transport = 'smtp' as const;
  private readonly transporter: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    const timeout = settings.MESSAGE_PROVIDER_TIMEOUT_MS;
    this.transporter = createTransport({
      host: settings.SMTP_HOST,
      port: settings.SMTP_PORT,
      secure: settings.SMTP_SECURE,
      auth: settings.SMTP_USER
        ? { user: settings.SMTP_USER, pass: settings.SMTP_PASSWORD }
        : undefined,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    // A stable Message-ID per reminder: receivers drop a copy a retry sends after a lost 250.
    const messageId = `<reminder-${message.reminderId}@tautline>`;
    try {
      await this.transporter.sendMail({
        from: this.settings.EMAIL_FROM,
        to: message.to,
        subject: message.subject ?? '',
        text: message.text,
        messageId,
        headers: { 'X-Tautline-Reminder': message.reminderId },
      });
    } catch (err) {
      throw classify(err as SmtpFailure);
    }
    return { providerMessageId: messageId };
  }

  close(): Promise<void> {
    this.transporter.close();
    return Promise.resolve();
  }
}

/** 5xx is the server's final word on this message; anything else (4xx, timeouts, refused connections) may pass later. */
function classify(err: SmtpFailure): Error {
  const detail = redactContact(err.response ?? err.message ?? 'unknown error');
  const what = `smtp ${[err.code, err.responseCode].filter(Boolean).join(' ')}: ${detail}`;
  // Refused credentials (530/535) are our configuration, not the message: retry until fixed.
  const code = err.responseCode ?? 0;
  return code >= 500 && code !== 530 && code !== 535
    ? new PermanentDeliveryError(what)
    : new TransientDeliveryError(what);
}
