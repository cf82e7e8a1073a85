import { type Notice } from '@tautline/domain';

/** Enough for a glance at the day; older notices drop off. */
export const MAX_NOTICES = 50;

/** Adds a notice once (redeliveries after a reconnect carry the same id), newest first. */
export function addNotice(notices: readonly Notice[], notice: Notice, max = MAX_NOTICES): Notice[] {
  if (notices.some((n) => n.id === notice.id)) return [...notices];
  return [notice, ...notices]
    .sort((a, b) => Date.parse(b.postedAt) - Date.parse(a.postedAt))
    .slice(0, max);
}

export function noticesFor(notices: readonly Notice[], clinicIds: readonly string[]): Notice[] {
  return notices.filter((n) => clinicIds.includes(n.clinicId));
}
