import { muscleByCode } from './muscle.catalogue';
import { type ChannelPlan } from './treatment-session.schemas';

/** Alert texts in plain words: a supervisor reads them across the room, between patients. Each has the value and its limit. */

/** `12.4`, `10`, `0.55`: at most two decimals, no trailing zeros. */
export const formatMa = (ma: number): string => String(Math.round(ma * 100) / 100);
/** `15,000`. */
export const formatOhm = (ohm: number): string =>
  String(Math.round(ohm)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const formatSeconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** "Room 2 · channel 1 (left upper trapezius)"; a midline channel reads "(multifidus, midline)". */
export function channelLabel(
  roomName: string,
  channel: number,
  plan: ChannelPlan | undefined,
): string {
  const where = `${roomName} · channel ${channel}`;
  if (!plan) return where;
  const muscle = muscleByCode(plan.muscle).name.toLowerCase();
  return plan.side === 'midline'
    ? `${where} (${muscle}, midline)`
    : `${where} (${plan.side} ${muscle})`;
}

export const alertMessages = {
  overCeiling: (where: string, ma: number, ceilingMa: number) =>
    `${where}: ${formatMa(ma)} mA is above the planned ceiling of ${formatMa(ceilingMa)} mA`,
  overDeviceLimit: (where: string, ma: number, limitMa: number) =>
    `${where}: ${formatMa(ma)} mA is above the stimulator's limit of ${formatMa(limitMa)} mA`,
  impedanceHigh: (where: string, ohm: number, maxOhm: number) =>
    `${where}: impedance ${formatOhm(ohm)} Ω is above ${formatOhm(maxOhm)} Ω (lead off or poor contact)`,
  impedanceLow: (where: string, ohm: number, minOhm: number) =>
    `${where}: impedance ${formatOhm(ohm)} Ω is below ${formatOhm(minOhm)} Ω (needles may be touching)`,
  jump: (where: string, fromMa: number, toMa: number, windowMs: number, limitMa: number) =>
    `${where}: intensity rose ${formatMa(toMa - fromMa)} mA within ${formatSeconds(windowMs)} (${formatMa(fromMa)} → ${formatMa(toMa)} mA), more than ${formatMa(limitMa)} mA`,
  offline: (roomName: string, silentMs: number, limitMs: number) =>
    `${roomName}: no telemetry from the stimulator for ${Math.floor(silentMs / 1000)} s (limit ${formatSeconds(limitMs)})`,
  overrun: (
    roomName: string,
    runningMinutes: number,
    plannedMinutes: number,
    graceMinutes: number,
  ) =>
    `${roomName}: session has run ${Math.floor(runningMinutes)} min, planned ${plannedMinutes} min + ${graceMinutes} min grace`,
};
