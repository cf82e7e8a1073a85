import { can, PERMISSIONS, ROLES } from './roles';

describe('role permissions', () => {
  it('lets every role read clinics', () => {
    for (const role of ROLES) expect(can(role, 'clinic.read')).toBe(true);
  });

  it('lets only admins and supervisors post notices', () => {
    expect(ROLES.filter((r) => can(r, 'notice.post'))).toEqual(['admin', 'supervisor']);
  });

  it('keeps clinic set-up with admins and clinical overrides with clinicians', () => {
    expect(ROLES.filter((r) => can(r, 'clinic.manage'))).toEqual(['admin']);
    expect(ROLES.filter((r) => can(r, 'screening.override'))).toEqual([
      'supervisor',
      'practitioner',
    ]);
    expect(can('supervisor', 'patient.write')).toBe(false);
  });

  it('keeps e-stim operation and alert acknowledgement with clinicians, device keys with admins', () => {
    expect(ROLES.filter((r) => can(r, 'session.operate'))).toEqual(['supervisor', 'practitioner']);
    expect(ROLES.filter((r) => can(r, 'alert.acknowledge'))).toEqual([
      'supervisor',
      'practitioner',
    ]);
    expect(ROLES.filter((r) => can(r, 'device.manage'))).toEqual(['admin']);
  });

  it('only names known roles', () => {
    for (const roles of Object.values(PERMISSIONS)) {
      for (const r of roles) expect(ROLES).toContain(r);
    }
  });
});
