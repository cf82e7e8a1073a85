import { type ReminderChannel } from '@tautline/domain';
import { DataSource } from 'typeorm';
import { type DeliveryReceipt, type MessageChannel, type OutboundMessage } from './message-channel';

/**
 * The local default: "sends" by storing the rendered message in `message_log`, so a person
 * trying Tautline can read what a patient would get. Keyed by reminder, so a retry stores it once.
 */
export class LogChannel implements MessageChannel {
  readonly transport = 'log' as const;

  constructor(
    readonly channel: ReminderChannel,
    private readonly db: DataSource,
  ) {}

  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    await this.db.query(
      `INSERT INTO message_log (reminder_id, organisation_id, clinic_id, channel, destination, subject, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (reminder_id) DO NOTHING`,
      [
        message.reminderId,
        message.organisationId,
        message.clinicId,
        this.channel,
        message.to,
        this.channel === 'email' ? (message.subject ?? null) : null,
        message.text,
      ],
    );
    return { providerMessageId: `log-${message.reminderId}` };
  }

  async lookup(reminderId: string): Promise<DeliveryReceipt | null> {
    const rows = (await this.db.query(`SELECT 1 FROM message_log WHERE reminder_id = $1`, [
      reminderId,
    ])) as unknown[];
    return rows.length ? { providerMessageId: `log-${reminderId}` } : null;
  }
}
