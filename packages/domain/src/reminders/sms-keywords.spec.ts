import { keywordReplyText, OPT_OUT_WORDS, parseSmsKeyword, SMS_PROGRAM_NAME } from './sms-keywords';

const variants = (word: string) => [
  word,
  word.toLowerCase(),
  word[0] + word.slice(1).toLowerCase(),
  // Alternating case: "sToP".
  [...word].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join(''),
];

describe('parseSmsKeyword', () => {
  describe('opt-out', () => {
    it.each([
      'STOP',
      'STOPALL',
      'QUIT',
      'END',
      'REVOKE',
      'OPT OUT',
      'OPTOUT',
      'CANCEL',
      'UNSUBSCRIBE',
    ])('%s in any case is opt_out', (word) => {
      for (const text of variants(word)) expect(parseSmsKeyword(text)).toBe('opt_out');
    });

    it('knows every carrier opt-out word it lists', () => {
      for (const word of OPT_OUT_WORDS) expect(parseSmsKeyword(word)).toBe('opt_out');
    });

    it.each([
      'stop',
      'Opt Out',
      'UNSUBSCRIBE',
      'opt-out',
      'Opt_Out',
      'opt   out',
      ' Stop. ',
      'STOP!!!',
      '"stop"',
      'Cancel?',
    ])('reads %j as opt_out', (text) => expect(parseSmsKeyword(text)).toBe('opt_out'));
  });

  it.each([
    ['C', 'confirm'],
    ['c', 'confirm'],
    ['YES', 'confirm'],
    ['yes', 'confirm'],
    ['Yes!', 'confirm'],
    ['y', 'confirm'],
    ['Confirm', 'confirm'],
    ['R', 'reschedule'],
    ['r', 'reschedule'],
    ['reschedule', 'reschedule'],
    ['START', 'opt_in'],
    ['start', 'opt_in'],
    ['Unstop', 'opt_in'],
    ['HELP', 'help'],
    ['help?', 'help'],
    ['Info', 'help'],
  ])('reads %j as %s', (text, keyword) => {
    expect(parseSmsKeyword(text)).toBe(keyword);
  });

  it('ignores surrounding whitespace, line breaks and punctuation', () => {
    for (const text of [
      '  C  ',
      '\nC\n',
      '\tyes\r\n',
      'C.',
      '...C...',
      '¡YES!',
      '(r)',
      '\u00a0help\u00a0',
      '\u200bSTOP\u200b',
    ])
      expect(parseSmsKeyword(text)).not.toBe('unknown');
    expect(parseSmsKeyword(' c. ')).toBe('confirm');
    expect(parseSmsKeyword('\u200bSTOP\u200b')).toBe('opt_out');
  });

  it('reads full-width and compatibility forms (NFKC)', () => {
    expect(parseSmsKeyword('ＳＴＯＰ')).toBe('opt_out');
    expect(parseSmsKeyword('ｙｅｓ')).toBe('confirm');
  });

  it.each([
    '',
    '   ',
    '👍',
    'ok',
    'Yes please',
    'stop it please',
    'I will be late',
    'CC',
    'C C',
    'STO P',
    'STOPP',
    'start over',
    'help me',
    '1',
    'no',
  ])('reads %j as unknown', (text) => {
    expect(parseSmsKeyword(text)).toBe('unknown');
  });

  it('reads a whole 1,600-character message without trouble', () => {
    expect(parseSmsKeyword('stop '.repeat(320))).toBe('unknown');
    expect(parseSmsKeyword(`${' '.repeat(1590)}STOP`)).toBe('opt_out');
  });
});

describe('keywordReplyText', () => {
  const values = { clinicName: 'London Bridge', clinicPhone: '+442079460101' };

  it('names the program and the clinic in every answer, and how to get help or opt out', () => {
    for (const kind of ['opt_out', 'opt_in', 'help'] as const) {
      const text = keywordReplyText(kind, values);
      expect(text).toContain(SMS_PROGRAM_NAME);
      expect(text).toContain('London Bridge');
      expect(text.length).toBeLessThanOrEqual(320);
    }
    expect(keywordReplyText('opt_out', values)).toMatch(/START/);
    expect(keywordReplyText('help', values)).toContain('+442079460101');
    expect(keywordReplyText('help', values)).toMatch(/STOP/);
    expect(keywordReplyText('opt_in', values)).toMatch(/STOP/);
  });
});
