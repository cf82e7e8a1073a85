import { HttpException } from '@nestjs/common';
import { TenantScope } from './tenant-scope';

describe('TenantScope', () => {
  const scope = new TenantScope('org-1', ['a', 'b']);

  it('knows its clinics', () => {
    expect(scope.hasClinic('a')).toBe(true);
    expect(scope.hasClinic('c')).toBe(false);
    expect(scope.clinicIds.sort()).toEqual(['a', 'b']);
  });

  it('answers 404 for a clinic outside the set', () => {
    expect(() => scope.requireClinic('a')).not.toThrow();
    try {
      scope.requireClinic('c');
      throw new Error('expected a 404');
    } catch (e) {
      expect((e as HttpException).getStatus()).toBe(404);
    }
  });
});
