import { muscleByCode, type BodySide, type ChannelPlan, type MuscleCode } from '@tautline/domain';

/** The silhouette's figure box: 40 × 100 units, midline at x = 20. */
export const FIGURE_WIDTH = 40;
export const FIGURE_HEIGHT = 100;
const MIDLINE = FIGURE_WIDTH / 2;

export type SilhouetteView = 'front' | 'back';

/**
 * Where a muscle is usually needled, on the patient's right: `lateral` units from the midline,
 * `y` from the top of the head. The left side mirrors it; a midline needle sits on the midline.
 */
export interface NeedleSite {
  view: SilhouetteView;
  lateral: number;
  y: number;
}

/** Typed by MuscleCode, so a muscle added to the catalogue without a site does not compile. */
export const NEEDLE_SITES: Record<MuscleCode, NeedleSite> = {
  upper_trapezius: { view: 'back', lateral: 9, y: 19 },
  levator_scapulae: { view: 'back', lateral: 4, y: 15 },
  sternocleidomastoid: { view: 'front', lateral: 2.5, y: 15 },
  splenius_capitis: { view: 'back', lateral: 1.5, y: 12 },
  scalenes: { view: 'front', lateral: 5, y: 18 },
  infraspinatus: { view: 'back', lateral: 8, y: 28 },
  supraspinatus: { view: 'back', lateral: 7, y: 22.5 },
  rhomboids: { view: 'back', lateral: 3.5, y: 26 },
  pectoralis_minor: { view: 'front', lateral: 7, y: 25 },
  erector_spinae_lumbar: { view: 'back', lateral: 3, y: 40 },
  quadratus_lumborum: { view: 'back', lateral: 6.5, y: 44 },
  multifidus: { view: 'back', lateral: 1.5, y: 47 },
  gluteus_medius: { view: 'back', lateral: 7.5, y: 50 },
  gluteus_minimus: { view: 'back', lateral: 9, y: 54 },
  piriformis: { view: 'back', lateral: 4.5, y: 55 },
  tensor_fasciae_latae: { view: 'front', lateral: 8.5, y: 53 },
  vastus_lateralis: { view: 'front', lateral: 9.5, y: 66 },
  gastrocnemius: { view: 'back', lateral: 5.5, y: 81 },
  soleus: { view: 'back', lateral: 5, y: 89 },
  tibialis_anterior: { view: 'front', lateral: 6, y: 84 },
};

export interface PlacedSite {
  view: SilhouetteView;
  /** Figure units; on the front view the patient's right is on the viewer's left. */
  x: number;
  y: number;
}

/** Where to draw a channel's needle on its view, as the viewer sees the figure. */
export function placeSite(muscle: MuscleCode, side: BodySide): PlacedSite {
  const site = NEEDLE_SITES[muscle];
  if (side === 'midline') return { view: site.view, x: MIDLINE, y: site.y };
  // Facing us (front) the patient's right is our left; from behind (back) it is our right.
  const towardsViewerRight = (site.view === 'back') === (side === 'right');
  return {
    view: site.view,
    x: MIDLINE + (towardsViewerRight ? site.lateral : -site.lateral),
    y: site.y,
  };
}

/** "right infraspinatus", "multifidus (midline)". */
export function sidedMuscle(muscle: MuscleCode, side: BodySide): string {
  const name = muscleByCode(muscle).name.toLowerCase();
  return side === 'midline' ? `${name} (midline)` : `${side} ${name}`;
}

/** "Ch 1: right infraspinatus — refers to deep front of the shoulder, …". */
export function channelSiteWords(
  channel: Pick<ChannelPlan, 'channel' | 'muscle' | 'side'>,
): string {
  const zones = muscleByCode(channel.muscle).referralZones.join(', ');
  return `Ch ${channel.channel}: ${sidedMuscle(channel.muscle, channel.side)} — refers to ${zones}`;
}
