import { muscleByCode, SessionPlan } from '@tautline/domain';
import { seededRandom } from './random';
import { FALLBACK_PLAN, plannedMinutes, simulatedPlan } from './session-plan';

describe('simulated session plans', () => {
  const plans = Array.from({ length: 500 }, (_, i) => simulatedPlan(seededRandom(i), 25));

  it('are valid SessionPlans of 1–4 channels, numbered from 1, with ceilings of 8–20 mA', () => {
    for (const plan of plans) {
      expect(SessionPlan.safeParse(plan).success).toBe(true);
      expect(plan.plannedDurationMinutes).toBe(25);
      expect(plan.channels.map((c) => c.channel)).toEqual(plan.channels.map((_, i) => i + 1));
      expect(plan.channels.length).toBeGreaterThanOrEqual(1);
      expect(plan.channels.length).toBeLessThanOrEqual(4);
      for (const c of plan.channels) {
        expect(c.intensityCeilingMa).toBeGreaterThanOrEqual(8);
        expect(c.intensityCeilingMa).toBeLessThanOrEqual(20);
      }
    }
    const counts = new Set(plans.map((p) => p.channels.length));
    expect([...counts].sort()).toEqual([1, 2, 3, 4]);
  });

  it('needle distinct muscles of one treatment area, on one side (multifidus may be midline)', () => {
    const neighbours: Record<string, string[]> = {
      neck: ['shoulder', 'upper_back'],
      shoulder: ['neck', 'upper_back', 'chest'],
      upper_back: ['neck', 'shoulder', 'chest'],
      chest: ['shoulder', 'upper_back'],
      lower_back: ['hip'],
      hip: ['lower_back', 'thigh'],
      thigh: ['hip', 'leg'],
      leg: ['thigh'],
    };
    for (const plan of plans) {
      const muscles = plan.channels.map((c) => c.muscle);
      expect(new Set(muscles).size).toBe(muscles.length);
      const regions = muscles.map((m) => muscleByCode(m).region);
      for (const r of regions)
        for (const other of regions) expect([r, ...neighbours[r]!]).toContain(other);
      const sides = new Set(plan.channels.filter((c) => c.side !== 'midline').map((c) => c.side));
      expect(sides.size).toBeLessThanOrEqual(1);
      for (const c of plan.channels.filter((x) => x.side === 'midline'))
        expect(c.muscle).toBe('multifidus');
    }
  });

  it('are the same for the same seed', () => {
    expect(simulatedPlan(seededRandom(7, 1), 30)).toEqual(simulatedPlan(seededRandom(7, 1), 30));
    expect(simulatedPlan(seededRandom(7, 1), 30)).not.toEqual(
      simulatedPlan(seededRandom(7, 2), 30),
    );
  });

  it('plan ordinary visits of 20–35 minutes; the --keys fallback is a valid one-channel plan', () => {
    const rnd = seededRandom(3);
    const minutes = Array.from({ length: 300 }, () => plannedMinutes(rnd));
    expect(Math.min(...minutes)).toBe(20);
    expect(Math.max(...minutes)).toBe(35);
    expect(SessionPlan.parse(FALLBACK_PLAN).channels).toHaveLength(1);
  });
});
