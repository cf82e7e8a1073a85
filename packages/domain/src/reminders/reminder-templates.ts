import { DateTime } from 'luxon';
import { type ReminderChannel } from '../patients.schemas';
import { type ReminderLocale } from './reminder-policy.schemas';

/**
 * Reminder texts: minimum necessary content. A message names the patient's first name, the
 * clinic's name and phone, the date and time in the clinic's zone with the zone named, a
 * self-service link and (SMS) the reply keywords, and never the treatment, appointment type,
 * diagnosis, device or practitioner. `lintTemplate` checks a rendered message for both.
 */

export interface ReminderTemplateValues {
  firstName: string;
  clinicName: string;
  clinicPhone: string;
  /** From `formatReminderDateTime`: "Tue 3 Mar 2026, 09:00 GMT". */
  localDateTime: string;
  /** The signed self-service link (see the appointment, confirm, cancel, reschedule, pre-visit advice). */
  link: string;
  /** "Reply C to confirm, R to reschedule, STOP to opt out." in the template's locale. */
  replyKeywords: string;
}

export type TemplatePlaceholder = keyof ReminderTemplateValues;

export interface ReminderTemplate {
  channel: ReminderChannel;
  locale: ReminderLocale;
  /** Email only. */
  subject?: string;
  /** Text with `{placeholder}`s. */
  body: string;
}

export interface RenderedReminder {
  channel: ReminderChannel;
  subject?: string;
  text: string;
}

export const REPLY_KEYWORDS: Record<ReminderLocale, string> = {
  'en-GB': 'Reply C to confirm, R to reschedule, STOP to opt out.',
  'en-US': 'Reply C to confirm, R to reschedule, STOP to opt out.',
};

const DATE_TIME_FORMAT: Record<ReminderLocale, string> = {
  'en-GB': 'ccc d LLL yyyy, HH:mm',
  'en-US': 'ccc, LLL d, yyyy, h:mm a',
};

const OFFSET_ONLY = /^(GMT|UTC)([+-]|$)/;

/**
 * The zone's short name at that instant: the locale's own ("BST" in en-GB), else the first of
 * en-US / en-GB that has a real abbreviation ("EST"), else the offset form ("GMT+5:30").
 */
export function zoneAbbreviation(at: DateTime, locale: ReminderLocale): string {
  let fallback = '';
  for (const l of [locale, 'en-US', 'en-GB']) {
    const name = at.setLocale(l).offsetNameShort ?? '';
    if (name && !OFFSET_ONLY.test(name)) return name;
    fallback ||= name;
  }
  // Intl names UTC+0 as "GMT"; that is a name, keep it.
  return fallback || 'UTC';
}

/** The appointment's start in the clinic's zone, zone named: "Tue 3 Mar 2026, 09:00 GMT". */
export function formatReminderDateTime(
  start: string,
  clinicTimeZone: string,
  locale: ReminderLocale,
): string {
  const at = DateTime.fromISO(start, { zone: clinicTimeZone }).setLocale(locale);
  if (!at.isValid) throw new RangeError(`cannot format ${start} in ${clinicTimeZone}`);
  return `${at.toFormat(DATE_TIME_FORMAT[locale])} ${zoneAbbreviation(at, locale)}`;
}

export const REMINDER_TEMPLATES: readonly ReminderTemplate[] = [
  {
    channel: 'sms',
    locale: 'en-GB',
    body: 'Hi {firstName}, a reminder of your appointment at {clinicName} on {localDateTime}. Details and changes: {link} {replyKeywords} Questions? Call {clinicPhone}.',
  },
  {
    channel: 'sms',
    locale: 'en-US',
    body: 'Hi {firstName}, this is a reminder of your appointment at {clinicName} on {localDateTime}. Details and changes: {link} {replyKeywords} Questions? Call {clinicPhone}.',
  },
  {
    channel: 'email',
    locale: 'en-GB',
    subject: 'Your appointment at {clinicName} on {localDateTime}',
    body: [
      'Dear {firstName},',
      '',
      'This is a reminder of your appointment at {clinicName} on {localDateTime}.',
      '',
      'To see the details, confirm, cancel or choose another time, and to read how to prepare, open: {link}',
      '',
      'If you have any questions, please call us on {clinicPhone}.',
      '',
      '{clinicName}',
    ].join('\n'),
  },
  {
    channel: 'email',
    locale: 'en-US',
    subject: 'Your appointment at {clinicName} on {localDateTime}',
    body: [
      'Hi {firstName},',
      '',
      'This is a reminder of your appointment at {clinicName} on {localDateTime}.',
      '',
      'To see the details, confirm, cancel or pick another time, and to read how to prepare, go to: {link}',
      '',
      'Questions? Call us at {clinicPhone}.',
      '',
      '{clinicName}',
    ].join('\n'),
  },
];

export function reminderTemplate(
  channel: ReminderChannel,
  locale: ReminderLocale,
): ReminderTemplate {
  const template = REMINDER_TEMPLATES.find((t) => t.channel === channel && t.locale === locale);
  if (!template) throw new RangeError(`no ${channel} reminder template for ${locale}`);
  return template;
}

const PLACEHOLDER = /\{(\w+)\}/g;

function fill(text: string, values: ReminderTemplateValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name)
      ? values[name as TemplatePlaceholder]
      : whole,
  );
}

/** Fills a template; an unknown `{placeholder}` is left as is (and `lintTemplate` reports it). */
export function renderReminderTemplate(
  template: ReminderTemplate,
  values: ReminderTemplateValues,
): RenderedReminder {
  return {
    channel: template.channel,
    ...(template.subject === undefined ? {} : { subject: fill(template.subject, values) }),
    text: fill(template.body, values),
  };
}

/** Words that would disclose the treatment, diagnosis, device or practitioner: matched as word prefixes. */
export const FORBIDDEN_REMINDER_TERMS: readonly { term: string; pattern: RegExp }[] = [
  ['needl', 'needl'],
  ['dry', 'dry\\b'],
  ['e-stim', '(?:e-stim|estim\\b)'],
  ['stim', 'stim'],
  ['electr', 'electr'],
  ['tens', 'tens\\b'],
  ['acupunct', 'acupunct'],
  ['inject', 'inject'],
  ['pain', 'pain'],
  ['diagnos', 'diagnos'],
  ['device', 'device'],
  ['muscle', 'muscl'],
  ['myofascial', 'myofasc'],
  ['trigger point', 'trigger\\s*points?'],
  ['treatment', 'treat'],
  ['practitioner', 'practitioner'],
  ['clinician', 'clinician'],
  ['doctor', 'doctor'],
  ['Dr', 'dr\\b\\.?'],
  ['pacemaker', 'pacemaker'],
  ['pregnan', 'pregnan'],
  ['anticoagulant', 'anticoagul'],
  ['contraindication', 'contraindicat'],
  ['screening', 'screening'],
  ['consent', 'consent'],
].map(([term, source]) => ({
  term: term ?? '',
  pattern: new RegExp(`(?<![\\p{L}\\p{N}])${source}`, 'iu'),
}));

export type TemplateViolation =
  | { kind: 'forbidden_term'; term: string; found: string }
  | {
      kind: 'missing';
      part:
        | 'firstName'
        | 'clinicName'
        | 'clinicPhone'
        | 'localDateTime'
        | 'zone'
        | 'link'
        | 'replyKeyword';
      detail?: string;
    }
  | { kind: 'unfilled_placeholder'; placeholder: string };

export interface LintExpectations {
  channel: ReminderChannel;
  /** The values the message was rendered with: each must appear in it. */
  values?: Partial<Omit<ReminderTemplateValues, 'replyKeywords'>>;
}

/** A time of day followed by a zone name or offset: "09:00 GMT", "9:00 AM EST", "14:30 GMT+5:30". */
const TIME_WITH_ZONE =
  /\b\d{1,2}:\d{2}(\s?[AP]M)?\s+(?:[A-Z]{2,5}|(?:GMT|UTC)[+-]\d{1,2}(?::\d{2})?)\b/;
const LINK = /\bhttps:\/\/\S+/;
/** SMS reply keywords, in capitals as the patient must send them. */
export const SMS_REPLY_KEYWORDS = ['C', 'R', 'STOP'] as const;

/**
 * Violations of the minimum-necessary-content rule in a rendered reminder (subject and text
 * together, link included: a link must not name the treatment either). Empty means fine.
 */
export function lintTemplate(
  rendered: string | RenderedReminder,
  expect: LintExpectations,
): TemplateViolation[] {
  const text =
    typeof rendered === 'string'
      ? rendered
      : [rendered.subject, rendered.text].filter(Boolean).join('\n');
  const violations: TemplateViolation[] = [];

  for (const { term, pattern } of FORBIDDEN_REMINDER_TERMS) {
    const match = pattern.exec(text);
    if (match) violations.push({ kind: 'forbidden_term', term, found: match[0] });
  }
  for (const match of text.matchAll(PLACEHOLDER))
    violations.push({ kind: 'unfilled_placeholder', placeholder: match[0] });

  const values = expect.values ?? {};
  for (const part of ['firstName', 'clinicName', 'clinicPhone', 'localDateTime', 'link'] as const) {
    const value = values[part];
    if (value !== undefined && !text.includes(value))
      violations.push({ kind: 'missing', part, detail: value });
  }
  if (values.clinicPhone === undefined && !/\+?\d[\d\s()-]{6,}\d/.test(text))
    violations.push({ kind: 'missing', part: 'clinicPhone' });
  if (!TIME_WITH_ZONE.test(text))
    violations.push({ kind: 'missing', part: 'zone', detail: 'a time with its zone named' });
  if (values.link === undefined && !LINK.test(text))
    violations.push({ kind: 'missing', part: 'link' });
  if (expect.channel === 'sms') {
    for (const keyword of SMS_REPLY_KEYWORDS) {
      if (!new RegExp(`\\b${keyword}\\b`).test(text))
        violations.push({ kind: 'missing', part: 'replyKeyword', detail: keyword });
    }
  }
  return violations;
}
