import {
  isMonitoringDegraded,
  judgeClinicMonitoring,
  lastHeardAt,
  monitoringDegradedMessage,
} from './monitoring.rules';

describe('overload is not offline', () => {
  it('a refused (429) batch counts as hearing from the device', () => {
    expect(lastHeardAt(null, null)).toBeNull();
    expect(lastHeardAt(1_000, null)).toBe(1_000);
    expect(lastHeardAt(null, 2_000)).toBe(2_000);
    expect(lastHeardAt(1_000, 5_000)).toBe(5_000);
    expect(lastHeardAt(9_000, 5_000)).toBe(9_000);
  });

  it('a clinic is degraded while any running session was refused within its offline limit', () => {
    const now = 100_000;
    expect(isMonitoringDegraded([], now)).toBe(false);
    expect(isMonitoringDegraded([{ throttledAt: null, offlineAfterMs: 5_000 }], now)).toBe(false);
    expect(isMonitoringDegraded([{ throttledAt: now - 5_000, offlineAfterMs: 5_000 }], now)).toBe(
      true,
    );
    expect(isMonitoringDegraded([{ throttledAt: now - 5_001, offlineAfterMs: 5_000 }], now)).toBe(
      false,
    );
    expect(
      isMonitoringDegraded(
        [
          { throttledAt: now - 60_000, offlineAfterMs: 5_000 },
          { throttledAt: now - 1_000, offlineAfterMs: 5_000 },
        ],
        now,
      ),
    ).toBe(true);
  });

  it('raises one alert per clinic and resolves it when the refusals stop', () => {
    const now = 100_000;
    const refused = [{ throttledAt: now - 100, offlineAfterMs: 5_000 }];
    const quiet = [{ throttledAt: now - 10_000, offlineAfterMs: 5_000 }];
    expect(judgeClinicMonitoring(false, refused, now)).toBe('raise');
    expect(judgeClinicMonitoring(true, refused, now)).toBeNull();
    expect(judgeClinicMonitoring(true, quiet, now)).toBe('resolve');
    expect(judgeClinicMonitoring(false, quiet, now)).toBeNull();
    // A clinic whose sessions all ended is not degraded any more.
    expect(judgeClinicMonitoring(true, [], now)).toBe('resolve');
  });

  it('names the clinic and says the devices are streaming', () => {
    expect(monitoringDegradedMessage('London Bridge')).toMatch(
      /London Bridge.*overloaded.*still streaming/,
    );
  });
});
