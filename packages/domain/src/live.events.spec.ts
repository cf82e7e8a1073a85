import { reviewLiveAccess } from './live.events';

describe('reviewLiveAccess: what an open socket does after its user’s access changed', () => {
  const held = { organisationId: 'org', role: 'scheduler' as const, clinicIds: ['a', 'b'] };

  it('keeps a socket whose access is unchanged or grew', () => {
    expect(
      reviewLiveAccess(held, {
        organisationId: 'org',
        role: 'scheduler',
        clinicIds: ['b', 'a', 'c'],
      }),
    ).toEqual({ action: 'keep' });
  });

  it('leaves the rooms of the clinics removed', () => {
    expect(
      reviewLiveAccess(held, { organisationId: 'org', role: 'scheduler', clinicIds: ['b'] }),
    ).toEqual({
      action: 'leave',
      event: { reason: 'membership_removed', clinicIds: ['a'] },
    });
  });

  it('disconnects a deactivated, deleted or moved user, and one whose role changed', () => {
    expect(reviewLiveAccess(held, undefined)).toEqual({
      action: 'disconnect',
      event: { reason: 'deactivated', clinicIds: ['a', 'b'] },
    });
    expect(
      reviewLiveAccess(held, { organisationId: 'other', role: 'scheduler', clinicIds: ['a'] }),
    ).toMatchObject({ action: 'disconnect', event: { reason: 'deactivated' } });
    expect(
      reviewLiveAccess(held, { organisationId: 'org', role: 'admin', clinicIds: ['a', 'b'] }),
    ).toMatchObject({ action: 'disconnect', event: { reason: 'role_changed' } });
  });
});
