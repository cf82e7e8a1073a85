import { REMINDER_CHANNELS } from '../patients.schemas';
import { REMINDER_LOCALES } from './reminder-policy.schemas';
import {
  REMINDER_TEMPLATES,
  REPLY_KEYWORDS,
  type ReminderTemplate,
  type ReminderTemplateValues,
  formatReminderDateTime,
  lintTemplate,
  reminderTemplate,
  renderReminderTemplate,
} from './reminder-templates';

const values = (
  locale: (typeof REMINDER_LOCALES)[number],
  start = '2026-03-03T09:00:00Z',
  zone = 'Europe/London',
): ReminderTemplateValues => ({
  firstName: 'Ana',
  clinicName: 'Harbour Street Clinic',
  clinicPhone: '+44 20 7946 0000',
  localDateTime: formatReminderDateTime(start, zone, locale),
  link: 'https://tautline.example/r/8f3a9c2e',
  replyKeywords: REPLY_KEYWORDS[locale],
});

describe('formatReminderDateTime', () => {
  it('formats in the clinic zone with the zone named', () => {
    expect(formatReminderDateTime('2026-03-03T09:00:00Z', 'Europe/London', 'en-GB')).toBe(
      'Tue 3 Mar 2026, 09:00 GMT',
    );
    expect(formatReminderDateTime('2026-07-03T09:00:00Z', 'Europe/London', 'en-GB')).toBe(
      'Fri 3 Jul 2026, 10:00 BST',
    );
    expect(formatReminderDateTime('2026-03-08T13:00:00Z', 'America/New_York', 'en-US')).toBe(
      'Sun, Mar 8, 2026, 9:00 AM EDT',
    );
    expect(formatReminderDateTime('2026-03-07T14:00:00Z', 'America/New_York', 'en-GB')).toBe(
      'Sat 7 Mar 2026, 09:00 EST',
    );
    expect(formatReminderDateTime('2026-03-03T09:00:00Z', 'Asia/Kolkata', 'en-GB')).toBe(
      'Tue 3 Mar 2026, 14:30 GMT+5:30',
    );
  });
});

describe('reminder templates', () => {
  it('exist for every channel and locale', () => {
    for (const channel of REMINDER_CHANNELS) {
      for (const locale of REMINDER_LOCALES)
        expect(reminderTemplate(channel, locale)).toBeDefined();
    }
    expect(REMINDER_TEMPLATES).toHaveLength(REMINDER_CHANNELS.length * REMINDER_LOCALES.length);
  });

  it.each(REMINDER_TEMPLATES.map((t) => [t.channel, t.locale, t] as const))(
    '%s %s passes the content lint',
    (channel, locale, template) => {
      for (const [start, zone] of [
        ['2026-03-03T09:00:00Z', 'Europe/London'],
        ['2026-11-01T14:00:00Z', 'America/New_York'],
      ] as const) {
        const v = values(locale, start, zone);
        const rendered = renderReminderTemplate(template, v);
        expect(lintTemplate(rendered, { channel, values: v })).toEqual([]);
        expect(lintTemplate(rendered, { channel })).toEqual([]); // the generic checks alone pass too
        if (channel === 'email') expect(rendered.subject).toContain(v.localDateTime);
      }
    },
  );

  it('SMS texts fit in three segments', () => {
    for (const locale of REMINDER_LOCALES) {
      expect(
        renderReminderTemplate(reminderTemplate('sms', locale), values(locale)).text.length,
      ).toBeLessThanOrEqual(459);
    }
  });
});

describe('lintTemplate', () => {
  it('fails a template that discloses the treatment, device and practitioner', () => {
    const bad: ReminderTemplate = {
      channel: 'sms',
      locale: 'en-GB',
      body: 'Hi {firstName}, your dry needling with e-stim (Dr Patel) at {clinicName} is on {localDateTime}. Reply C or R.',
    };
    const v = values('en-GB');
    const violations = lintTemplate(renderReminderTemplate(bad, v), { channel: 'sms', values: v });
    expect(violations).toEqual(
      expect.arrayContaining([
        { kind: 'forbidden_term', term: 'needl', found: 'needl' },
        { kind: 'forbidden_term', term: 'dry', found: 'dry' },
        { kind: 'forbidden_term', term: 'e-stim', found: 'e-stim' },
        { kind: 'forbidden_term', term: 'Dr', found: 'Dr' },
        { kind: 'missing', part: 'clinicPhone', detail: v.clinicPhone },
        { kind: 'missing', part: 'link', detail: v.link },
        { kind: 'missing', part: 'replyKeyword', detail: 'STOP' },
      ]),
    );
  });

  it.each([
    'Bring your stimulator',
    'Electrical stimulation today',
    'About your pain',
    'Your diagnosis',
    'Acupuncture reminder',
    'Injection at 9',
    'Trigger points',
    'Muscle work',
    'Your TENS unit',
    'The device is ready',
    'Your treatment',
  ])('flags "%s"', (text) => {
    expect(lintTemplate(text, { channel: 'email' }).some((v) => v.kind === 'forbidden_term')).toBe(
      true,
    );
  });

  it('does not flag words that merely contain a forbidden stem', () => {
    const text =
      'Hi Ana, estimate for Spain trip: 09:00 GMT, call +44 20 7946 0000, https://x.example/a';
    expect(lintTemplate(text, { channel: 'email' })).toEqual([]);
  });

  it('reports a missing time zone, missing parts and unfilled placeholders', () => {
    const text = 'Hi {firstName}, see you at 09:00. https://x.example/a Call +44 20 7946 0000.';
    const violations = lintTemplate(text, { channel: 'sms', values: { firstName: 'Ana' } });
    expect(violations).toEqual(
      expect.arrayContaining([
        { kind: 'unfilled_placeholder', placeholder: '{firstName}' },
        { kind: 'missing', part: 'firstName', detail: 'Ana' },
        { kind: 'missing', part: 'zone', detail: 'a time with its zone named' },
        { kind: 'missing', part: 'replyKeyword', detail: 'C' },
      ]),
    );
  });

  it('flags a link that names the treatment', () => {
    const v = { ...values('en-GB'), link: 'https://tautline.example/dry-needling/confirm' };
    const rendered = renderReminderTemplate(reminderTemplate('sms', 'en-GB'), v);
    expect(lintTemplate(rendered, { channel: 'sms', values: v }).map((x) => x.kind)).toContain(
      'forbidden_term',
    );
  });
});
