/**
 * Replies to reminder texts. The opt-out words are the carriers' standard set; they win over
 * everything else (a patient who writes "cancel" is opting out of texts, as carriers read it).
 */
export type SmsKeyword = 'confirm' | 'reschedule' | 'opt_out' | 'opt_in' | 'help' | 'unknown';

export const OPT_OUT_WORDS = [
  'STOP',
  'STOPALL',
  'QUIT',
  'END',
  'REVOKE',
  'OPT OUT',
  'OPTOUT',
  'CANCEL',
  'UNSUBSCRIBE',
] as const;
const WORDS: Record<Exclude<SmsKeyword, 'unknown'>, readonly string[]> = {
  opt_out: OPT_OUT_WORDS,
  opt_in: ['START', 'UNSTOP'],
  help: ['HELP', 'INFO'],
  confirm: ['C', 'YES', 'Y', 'CONFIRM'],
  reschedule: ['R', 'RESCHEDULE'],
};

/** Reads a reply: the whole message, any case, surrounding spaces and punctuation ignored. */
export function parseSmsKeyword(body: string): SmsKeyword {
  const text = body
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (const [keyword, words] of Object.entries(WORDS) as [
    Exclude<SmsKeyword, 'unknown'>,
    readonly string[],
  ][]) {
    if (words.includes(text)) return keyword;
  }
  return 'unknown';
}

export interface KeywordReplyValues {
  clinicName: string;
  clinicPhone: string;
}

/** The product name carriers require in HELP and opt-out answers. */
export const SMS_PROGRAM_NAME = 'Tautline appointment reminders';

/** The single text sent back for STOP, START and HELP (nothing clinical, as for reminders). */
export function keywordReplyText(
  kind: 'opt_out' | 'opt_in' | 'help',
  v: KeywordReplyValues,
): string {
  switch (kind) {
    case 'opt_out':
      return `${SMS_PROGRAM_NAME} from ${v.clinicName}: you are unsubscribed and will get no more texts. Reply START to resubscribe. Questions? Call ${v.clinicPhone}.`;
    case 'opt_in':
      return `${SMS_PROGRAM_NAME} from ${v.clinicName}: you are subscribed again. Reply STOP to opt out, HELP for help.`;
    case 'help':
      return `${SMS_PROGRAM_NAME} from ${v.clinicName}. For help call ${v.clinicPhone}. Reply C to confirm, R to reschedule, STOP to opt out.`;
  }
}
