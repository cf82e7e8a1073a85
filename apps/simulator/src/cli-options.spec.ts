import { parseArgs, parseDuration, parseFaults, UsageError } from './cli-options';

describe('simulator arguments', () => {
  it('defaults to 4 devices at 10 Hz for 10 minutes against the local API, as the demo accounts', () => {
    const options = parseArgs([]);
    expect(options).toMatchObject({
      api: 'http://127.0.0.1:3000',
      check: false,
      help: false,
      devices: 4,
      hz: 10,
      faults: [],
      durationMs: 600_000,
      batchMs: 500,
      keysFile: null,
      clinics: [],
      admin: { email: 'admin@tautline.test', password: 'tautline-demo-2026' },
      operator: { email: 'supervisor@tautline.test', password: 'tautline-demo-2026' },
      progressEveryMs: 5000,
    });
    expect(options.seed).toBeGreaterThanOrEqual(0);
    expect(options.seed).toBeLessThanOrEqual(0xffff_ffff);
  });

  it('reads every flag, ignoring the pnpm `--` separator; --name=value works too', () => {
    const options = parseArgs([
      '--',
      '--api',
      'http://10.0.0.5:3000/',
      '--devices',
      '50',
      '--hz=2.5',
      '--faults',
      'lead-off,spike,dropout,overrun',
      '--duration',
      '1h30m',
      '--batch-ms',
      '250',
      '--seed',
      '42',
      '--clinic',
      'london-bridge, manchester',
      '--admin',
      'boss@example.test',
      '--operator',
      'lead@example.test',
      '--progress-every',
      '30s',
    ]);
    expect(options).toMatchObject({
      api: 'http://10.0.0.5:3000',
      devices: 50,
      hz: 2.5,
      faults: ['lead_off', 'spike', 'dropout', 'overrun'],
      durationMs: 5_400_000,
      batchMs: 250,
      seed: 42,
      clinics: ['london-bridge', 'manchester'],
      admin: { email: 'boss@example.test' },
      operator: { email: 'lead@example.test' },
      progressEveryMs: 30_000,
    });
  });

  it('takes accounts and passwords from the environment, flags first', () => {
    const env = {
      SIMULATOR_ADMIN_EMAIL: 'a@example.test',
      SIMULATOR_OPERATOR_EMAIL: 'o@example.test',
      SIMULATOR_PASSWORD: 'shared',
      SIMULATOR_OPERATOR_PASSWORD: 'own',
    };
    expect(parseArgs([], env)).toMatchObject({
      admin: { email: 'a@example.test', password: 'shared' },
      operator: { email: 'o@example.test', password: 'own' },
    });
    expect(parseArgs(['--password', 'flag', '--admin', 'x@example.test'], env)).toMatchObject({
      admin: { email: 'x@example.test', password: 'flag' },
      operator: { password: 'flag' },
    });
  });

  it('--keys streams existing devices and excludes provisioning flags', () => {
    expect(parseArgs(['--keys', 'keys.json']).keysFile).toBe('keys.json');
    expect(() => parseArgs(['--keys', 'k.json', '--devices', '3'])).toThrow(
      /--devices and --keys exclude each other/,
    );
    expect(() => parseArgs(['--keys', 'k.json', '--clinic', 'manchester'])).toThrow(
      /--clinic and --keys/,
    );
  });

  it('--check and --help are flags', () => {
    expect(parseArgs(['--check']).check).toBe(true);
    expect(parseArgs(['--help']).help).toBe(true);
  });

  it.each([
    [['--nope'], /unknown option --nope/],
    [['--api'], /--api needs a value/],
    [['--devices', '--hz', '5'], /--devices needs a value/],
    [['--api', 'not a url'], /--api must be an http\(s\) URL/],
    [['--api', 'ftp://example.test'], /--api must be an http\(s\) URL/],
    [['stray'], /unexpected argument "stray"/],
    [['--devices', '0'], /--devices must be a whole number from 1 to 1000 \(got "0"\)/],
    [['--devices', '2.5'], /--devices must be a whole number/],
    [['--devices', 'many'], /--devices must be a whole number/],
    [['--devices', '1001'], /--devices must be a whole number from 1 to 1000/],
    [['--hz', '0'], /--hz must be a number from 0.1 to 100/],
    [['--hz', '500'], /--hz must be a number from 0.1 to 100/],
    [['--batch-ms', '10'], /--batch-ms must be a whole number from 50 to 60000/],
    [['--seed', '-1'], /--seed must be a whole number from 0 to 4294967295/],
    [
      ['--faults', 'lead-off,fire'],
      /--faults: unknown fault "fire" \(choose from lead-off, spike, dropout, overrun\)/,
    ],
    [['--duration', 'soon'], /--duration must be a duration such as 90s, 10m or 1h \(got "soon"\)/],
    [['--duration', '500ms'], /--duration must be from 1s to 7d/],
    [['--duration', '8d'], /--duration must be from 1s to 7d/],
    [['--progress-every', '100ms'], /--progress-every must be at least 500ms/],
    [['--devices', '2', '--devices', '3'], /--devices is given twice/],
    [['--check=yes'], /--check takes no value/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5m', 90_000],
    ['250ms', 250],
    ['2d', 172_800_000],
    ['45', 45_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'm', '10 minutes', '-5s', '1h-30m'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
  });
});

describe('fault names', () => {
  it('maps the typed names to the generator’s kinds, in a fixed order, without repeats', () => {
    expect(parseFaults('spike, LEAD-OFF,spike,lead_off')).toEqual(['lead_off', 'spike']);
    expect(parseFaults('none')).toEqual([]);
    expect(parseFaults('')).toEqual([]);
  });
});
