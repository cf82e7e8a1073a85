import { type ReminderPolicyInput } from '@tautline/domain';
import { type TestApp } from '../../testing/test-app';

const FIVE_MINUTES = 5 * 60_000;

/** The first start on the 5-minute grid at least `leadMs` from now (London's offsets are whole hours). */
export function gridStartAfter(leadMs: number, now = Date.now()): Date {
  return new Date(Math.ceil((now + leadMs) / FIVE_MINUTES) * FIVE_MINUTES);
}

/** Extra hours for a practitioner from now on, so a test can book within the hour whatever the clock says. */
export async function openExtraHours(
  t: TestApp,
  admin: string,
  practitionerId: string,
  clinicId: string,
  hours = 6,
) {
  const res = await t.request(`/api/v1/practitioners/${practitionerId}/availability-exceptions`, {
    method: 'POST',
    token: admin,
    json: {
      clinicId,
      kind: 'extra_hours',
      start: new Date(Date.now() - 60_000).toISOString(),
      end: new Date(Date.now() + hours * 3_600_000).toISOString(),
      reason: 'test session',
    },
  });
  if (res.status !== 201) throw new Error(`extra hours refused: ${res.status} ${await res.text()}`);
}

export async function setClinicPolicy(
  t: TestApp,
  admin: string,
  clinicId: string,
  policy: ReminderPolicyInput,
) {
  const res = await t.request(`/api/v1/clinics/${clinicId}/reminder-policy`, {
    method: 'PUT',
    token: admin,
    json: policy,
  });
  if (res.status !== 200) throw new Error(`policy refused: ${res.status} ${await res.text()}`);
}
