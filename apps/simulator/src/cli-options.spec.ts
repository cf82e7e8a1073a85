import { parseArgs, UsageError } from './cli-options';

describe('simulator arguments', () => {
  it('defaults to the local API', () => {
    expect(parseArgs([])).toEqual({ api: 'http://127.0.0.1:3000', check: true });
  });

  it('reads --api, ignoring the pnpm `--` separator', () => {
    expect(parseArgs(['--', '--api', 'http://10.0.0.5:3000']).api).toBe('http://10.0.0.5:3000');
  });

  it.each([
    [['--nope'], /unknown option --nope/],
    [['--api'], /--api needs a value/],
    [['--api', 'not a url'], /--api/],
    [['stray'], /unexpected argument/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
