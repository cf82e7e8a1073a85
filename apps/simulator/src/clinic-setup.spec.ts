import { type AppointmentTypeView, type Clinic } from '@tautline/domain';
import { chooseClinics, estimType, slugOf } from './clinic-setup';

const clinic = (id: string, name: string): Clinic => ({
  id,
  organisationId: 'org',
  name,
  timeZone: 'Europe/London',
  phone: null,
});
const LONDON = clinic('11111111-1111-4111-8111-111111111111', 'London Bridge');
const MANCHESTER = clinic('22222222-2222-4222-8222-222222222222', 'Manchester');
const NEW_YORK = clinic('33333333-3333-4333-8333-333333333333', 'New York Chelsea');

describe('choosing clinics', () => {
  it('reads clinic names as the demo slugs', () => {
    expect(slugOf('New York Chelsea')).toBe('new-york-chelsea');
    expect(slugOf('  St. Mary’s (East) ')).toBe('st-mary-s-east');
  });

  it('uses the clinics both accounts share, or those named by id or slug', () => {
    const all = [LONDON, MANCHESTER, NEW_YORK];
    expect(chooseClinics(all, [LONDON.id, NEW_YORK.id], [])).toEqual([LONDON, NEW_YORK]);
    expect(
      chooseClinics(
        all,
        all.map((c) => c.id),
        ['manchester', NEW_YORK.id],
      ),
    ).toEqual([MANCHESTER, NEW_YORK]);
    expect(
      chooseClinics(
        all,
        all.map((c) => c.id),
        ['New York Chelsea'],
      ),
    ).toEqual([NEW_YORK]);
  });

  it('names the choices when a clinic is unknown or not the operator’s', () => {
    const all = [LONDON, MANCHESTER, NEW_YORK];
    expect(() => chooseClinics(all, [LONDON.id], ['leeds'])).toThrow(
      '--clinic leeds: not a clinic of both accounts (choose from london-bridge)',
    );
    expect(() => chooseClinics(all, [LONDON.id], ['manchester'])).toThrow(
      /not a clinic of both accounts/,
    );
  });
});

describe('the e-stim appointment type', () => {
  const type = (name: string, usesEstim: boolean, active = true): AppointmentTypeView => ({
    id: name,
    name,
    durationMinutes: 45,
    bufferBeforeMinutes: 5,
    bufferAfterMinutes: 10,
    requiresDryNeedlingCert: true,
    usesEstim,
    colour: '#1f7a8c',
    active,
  });

  it('is the demo’s "Dry needling + e-stim 45 min", else any active e-stim type', () => {
    const demo = type('Dry needling + e-stim 45 min', true);
    expect(
      estimType([type('Dry needling 30 min', false), type('Other e-stim', true), demo]).name,
    ).toBe(demo.name);
    expect(
      estimType([type('Other e-stim', true), type('Dry needling + e-stim 45 min', true, false)])
        .name,
    ).toBe('Other e-stim');
    expect(() => estimType([type('Dry needling 30 min', false)])).toThrow(
      /no active e-stim appointment type/,
    );
  });
});
