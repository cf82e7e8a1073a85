import { type TestApp } from '../../testing/test-app';

/**
 * The availability routes as a test drives them. The app and token are read lazily because
 * test files create them in `beforeAll`.
 */
export function availabilityApi(app: () => TestApp, adminToken: () => string) {
  const post = (path: string, json: unknown, token = adminToken()) =>
    app().request(path, { method: 'POST', token, json });
  return {
    async createPractitioner(name: string, clinicIds: string[]): Promise<string> {
      return (await (await post('/api/v1/practitioners', { name, clinicIds })).json()).id;
    },
    addRule: (practitionerId: string, json: unknown, token?: string) =>
      post(`/api/v1/practitioners/${practitionerId}/availability-rules`, json, token),
    addException: (practitionerId: string, json: unknown, token?: string) =>
      post(`/api/v1/practitioners/${practitionerId}/availability-exceptions`, json, token),
  };
}

/** A Monday-morning weekly rule at a clinic. */
export const weeklyRule = (clinicId: string, extra: object = {}) => ({
  clinicId,
  weekday: 1,
  start: '09:00',
  end: '12:30',
  effectiveFrom: '2026-01-05',
  ...extra,
});
