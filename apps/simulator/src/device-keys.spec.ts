import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from './cli-options';
import { parseDeviceKeys, readDeviceKeys } from './device-keys';
import { FALLBACK_PLAN } from './session-plan';

const KEY = 'tld_0123456789abcdef';

describe('the --keys file', () => {
  it('takes bare keys (channel 1 plan) or keys with their session’s plan', () => {
    const plan = { ...FALLBACK_PLAN, plannedDurationMinutes: 20 };
    const devices = parseDeviceKeys(
      JSON.stringify([KEY, { key: `${KEY}x`, plan, label: 'Room 4' }]),
      'k.json',
    );
    expect(devices).toEqual([
      { key: KEY, plan: FALLBACK_PLAN, label: 'device 1' },
      { key: `${KEY}x`, plan, label: 'Room 4' },
    ]);
  });

  it.each([
    ['not json', /--keys k.json: not JSON/],
    ['[]', /list at least one device key/],
    ['{"key":"x"}', /--keys k.json:/],
    [JSON.stringify(['short']), /\[0\.key\] is not a device key/],
    [JSON.stringify([{ key: KEY, colour: 'red' }]), /\[0\]/],
    [
      JSON.stringify([{ key: KEY, plan: { channels: [], plannedDurationMinutes: 20 } }]),
      /\[0\.plan\.channels\] plan at least one channel/,
    ],
    [JSON.stringify([KEY, KEY]), /a key is listed twice/],
  ])('refuses %s, naming what is wrong', (text, message) => {
    expect(() => parseDeviceKeys(text, 'k.json')).toThrow(UsageError);
    expect(() => parseDeviceKeys(text, 'k.json')).toThrow(message);
  });

  it('reads the file, and says so when it cannot', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sim-keys-'));
    try {
      const file = path.join(dir, 'keys.json');
      await writeFile(file, JSON.stringify([KEY]));
      expect(await readDeviceKeys(file)).toHaveLength(1);
      await expect(readDeviceKeys(path.join(dir, 'missing.json'))).rejects.toThrow(
        /cannot read it \(ENOENT\)/,
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
