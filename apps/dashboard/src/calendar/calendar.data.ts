import { type Appointment, PATIENT_PAGE_MAX } from '@tautline/domain';
import { useQueries, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useApiOrigin } from '../http/http.origin';
import { useLiveEvent } from '../live/live.bus';
import { lookupPatients, patientName } from '../patients/patients.api';
import {
  fetchAppointmentTypes,
  fetchAppointments,
  fetchPractitioners,
  fetchRooms,
  type Auth,
} from './calendar.api';

/** Every calendar query starts with this key, so one invalidation refreshes the lot. */
export const CALENDAR_KEY = 'calendar';
const appointmentsKey = (token: string, clinicId: string, from: string, to: string) =>
  [CALENDAR_KEY, token, 'appointments', clinicId, from, to] as const;

export function useAuth(token: string): Auth {
  const origin = useApiOrigin();
  return useMemo(() => ({ token, origin }), [token, origin]);
}

export function useAppointments(auth: Auth, clinicId: string | null, from: string, to: string) {
  return useQuery({
    queryKey: appointmentsKey(auth.token, clinicId ?? '', from, to),
    queryFn: () => fetchAppointments(auth, clinicId ?? '', from, to),
    enabled: clinicId !== null,
  });
}

export function useResources(auth: Auth, clinicId: string | null) {
  const rooms = useQuery({
    queryKey: [CALENDAR_KEY, auth.token, 'rooms', clinicId],
    queryFn: () => fetchRooms(auth, clinicId ?? ''),
    enabled: clinicId !== null,
    staleTime: 5 * 60_000,
  });
  const practitioners = useQuery({
    queryKey: [CALENDAR_KEY, auth.token, 'practitioners'],
    queryFn: () => fetchPractitioners(auth),
    staleTime: 5 * 60_000,
  });
  const types = useQuery({
    queryKey: [CALENDAR_KEY, auth.token, 'appointment-types'],
    queryFn: () => fetchAppointmentTypes(auth),
    staleTime: 5 * 60_000,
  });
  return { rooms, practitioners, types };
}

/** Names for the patients on the calendar: one cached lookup per page of ids, not one read per patient. */
export function usePatientNames(auth: Auth, patientIds: readonly string[]): Map<string, string> {
  const pages = useMemo(() => {
    const unique = [...new Set(patientIds)].sort();
    const out: string[][] = [];
    for (let i = 0; i < unique.length; i += PATIENT_PAGE_MAX)
      out.push(unique.slice(i, i + PATIENT_PAGE_MAX));
    return out;
  }, [patientIds]);
  const results = useQueries({
    queries: pages.map((ids) => ({
      queryKey: ['patient-names', auth.token, ids],
      queryFn: () => lookupPatients(auth, ids),
      staleTime: 10 * 60_000,
    })),
  });
  const names = new Map<string, string>();
  for (const page of results)
    for (const patient of page.data?.items ?? []) names.set(patient.id, patientName(patient));
  return names;
}

/** Puts (or replaces) an appointment in every cached list of its clinic whose range it falls in. */
export function upsertAppointment(client: QueryClient, appointment: Appointment): void {
  const lists = client.getQueriesData<Appointment[]>({ queryKey: [CALENDAR_KEY] });
  for (const [key, list] of lists) {
    if (!list || key[2] !== 'appointments') continue;
    const [, , , clinicId, from, to] = key as readonly string[];
    const others = list.filter((a) => a.id !== appointment.id);
    const inRange =
      clinicId === appointment.clinicId &&
      Date.parse(appointment.start) < Date.parse(to ?? '') &&
      Date.parse(appointment.end) > Date.parse(from ?? '');
    const current = list.find((a) => a.id === appointment.id);
    // An older copy (a late event after our own answer) never replaces a newer one.
    if (current && current.version > appointment.version) continue;
    client.setQueryData(key, inRange ? [...others, appointment] : others);
  }
}

/** Colleagues' changes arrive live; after a drop the calendar re-reads what it shows. */
export function useLiveAppointments(): void {
  const client = useQueryClient();
  useLiveEvent('appointment.changed', ({ appointment }) => upsertAppointment(client, appointment));
  useLiveEvent(
    'live.reconnected',
    () => void client.invalidateQueries({ queryKey: [CALENDAR_KEY] }),
  );
}
