import { Alert, LiveSession, Room } from '@tautline/domain';
import { z } from 'zod';
import { apiRequest } from '../http/http.client';

const LiveSessions = z.array(LiveSession);
const Alerts = z.array(Alert);
const Rooms = z.array(Room);

export function fetchLiveSessions(
  token: string,
  clinicId: string,
  origin = '',
): Promise<LiveSession[]> {
  return apiRequest(`/live/sessions?clinicId=${encodeURIComponent(clinicId)}`, LiveSessions, {
    token,
    origin,
  });
}

/** The alerts that still need someone: open, acknowledged and latched (resolved ones are history). */
export async function fetchUnresolvedAlerts(
  token: string,
  clinicId: string,
  origin = '',
): Promise<Alert[]> {
  const q = (status: string) => `/alerts?clinicId=${encodeURIComponent(clinicId)}&status=${status}`;
  const lists = await Promise.all(
    (['open', 'acknowledged', 'latched'] as const).map((status) =>
      apiRequest(q(status), Alerts, { token, origin }),
    ),
  );
  return lists.flat();
}

export function fetchRooms(token: string, clinicId: string, origin = ''): Promise<Room[]> {
  return apiRequest(`/clinics/${encodeURIComponent(clinicId)}/rooms`, Rooms, { token, origin });
}

export function acknowledgeAlert(
  token: string,
  alertId: string,
  note: string,
  origin = '',
): Promise<Alert> {
  const trimmed = note.trim();
  return apiRequest(`/alerts/${encodeURIComponent(alertId)}/acknowledge`, Alert, {
    method: 'POST',
    token,
    origin,
    body: trimmed ? { note: trimmed } : {},
  });
}
