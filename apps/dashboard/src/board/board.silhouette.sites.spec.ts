import { MUSCLES, MUSCLE_CODES } from '@tautline/domain';
import {
  channelSiteWords,
  FIGURE_HEIGHT,
  FIGURE_WIDTH,
  NEEDLE_SITES,
  placeSite,
  sidedMuscle,
} from './board.silhouette.sites';

describe('needle sites', () => {
  it('has a site inside the figure for every catalogue muscle, on both sides', () => {
    expect(Object.keys(NEEDLE_SITES).sort()).toEqual([...MUSCLE_CODES].sort());
    for (const code of MUSCLE_CODES) {
      for (const side of ['left', 'right', 'midline'] as const) {
        const { x, y, view } = placeSite(code, side);
        expect(['front', 'back']).toContain(view);
        expect(x).toBeGreaterThan(0);
        expect(x).toBeLessThan(FIGURE_WIDTH);
        expect(y).toBeGreaterThan(0);
        expect(y).toBeLessThan(FIGURE_HEIGHT);
      }
    }
  });

  it('mirrors left and right about the midline and puts midline needles on it', () => {
    for (const code of MUSCLE_CODES) {
      const left = placeSite(code, 'left');
      const right = placeSite(code, 'right');
      expect(left.x + right.x).toBeCloseTo(FIGURE_WIDTH);
      expect(left.y).toBe(right.y);
      expect(placeSite(code, 'midline').x).toBe(FIGURE_WIDTH / 2);
    }
  });

  it('draws the patient’s right on the viewer’s left from the front and on the right from behind', () => {
    // Infraspinatus is needled from behind, tibialis anterior from the front.
    expect(placeSite('infraspinatus', 'right').x).toBeGreaterThan(FIGURE_WIDTH / 2);
    expect(placeSite('tibialis_anterior', 'right').x).toBeLessThan(FIGURE_WIDTH / 2);
    expect(placeSite('tibialis_anterior', 'right').view).toBe('front');
  });

  it('describes a channel with its muscle, side and the catalogue’s referral zones', () => {
    expect(channelSiteWords({ channel: 1, muscle: 'infraspinatus', side: 'right' })).toBe(
      'Ch 1: right infraspinatus — refers to deep front of the shoulder, front and lateral upper arm, radial forearm, medial border of the scapula',
    );
    expect(sidedMuscle('multifidus', 'midline')).toBe('multifidus (midline)');
    for (const m of MUSCLES) {
      expect(channelSiteWords({ channel: 2, muscle: m.code, side: 'left' })).toContain(
        m.referralZones[0],
      );
    }
  });
});
