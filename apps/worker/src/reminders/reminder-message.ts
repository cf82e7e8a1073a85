import {
  formatReminderDateTime,
  keywordReplyText,
  REPLY_KEYWORDS,
  type ReminderLocale,
  reminderTemplate,
  renderReminderTemplate,
} from '@tautline/domain';
import { PatientLinkSigner, patientLinkExpiry } from '@tautline/queues';
import { type ClaimedReminder } from './reminder.store';

export interface RenderedMessage {
  subject?: string;
  text: string;
}

/**
 * The words a patient receives: the policy's template for reminders (minimum necessary content,
 * linted in the domain's tests), the fixed answers for keywords. Links are signed per appointment.
 */
export class ReminderMessages {
  private readonly signer: PatientLinkSigner;

  constructor(
    jwtSecret: string,
    private readonly publicUrl: string,
  ) {
    this.signer = new PatientLinkSigner(jwtSecret);
  }

  link(r: Pick<ClaimedReminder, 'appointment_id' | 'starts_at'>): string {
    const token = this.signer.sign({
      appointmentId: r.appointment_id,
      exp: patientLinkExpiry(r.starts_at),
    });
    return `${this.publicUrl.replace(/\/$/, '')}/p/${token}`;
  }

  render(r: ClaimedReminder, locale: ReminderLocale): RenderedMessage {
    const clinic = { clinicName: r.clinic_name, clinicPhone: r.clinic_phone ?? 'the clinic' };
    switch (r.purpose) {
      case 'opt_out_confirmation':
        return { text: keywordReplyText('opt_out', clinic) };
      case 'opt_in_confirmation':
        return { text: keywordReplyText('opt_in', clinic) };
      case 'help':
        return { text: keywordReplyText('help', clinic) };
      case 'reminder': {
        const rendered = renderReminderTemplate(reminderTemplate(r.channel, locale), {
          ...clinic,
          firstName: r.given_name,
          localDateTime: formatReminderDateTime(r.starts_at.toISOString(), r.clinic_zone, locale),
          link: this.link(r),
          replyKeywords: REPLY_KEYWORDS[locale],
        });
        return { subject: rendered.subject, text: rendered.text };
      }
    }
  }
}
