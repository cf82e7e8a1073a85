import { LoggedMessage, PatientMessages, Reminder } from '@tautline/domain';
import { z } from 'zod';
import { apiRequest } from '../http/http.client';

const ReminderList = z.array(Reminder);
const LoggedMessageList = z.array(LoggedMessage);

export function fetchReminders(
  token: string,
  appointmentId: string,
  origin = '',
): Promise<Reminder[]> {
  return apiRequest(`/appointments/${encodeURIComponent(appointmentId)}/reminders`, ReminderList, {
    token,
    origin,
  });
}

export function fetchPatientMessages(
  token: string,
  patientId: string,
  origin = '',
): Promise<PatientMessages> {
  return apiRequest(`/patients/${encodeURIComponent(patientId)}/messages`, PatientMessages, {
    token,
    origin,
  });
}

export function fetchMessageLog(
  token: string,
  clinicId: string,
  limit = 50,
  origin = '',
): Promise<LoggedMessage[]> {
  return apiRequest(
    `/clinics/${encodeURIComponent(clinicId)}/message-log?limit=${limit}`,
    LoggedMessageList,
    { token, origin },
  );
}
