import { maySessionBeOperatedBy } from './session-operator.rules';

const me = '11111111-1111-4111-8111-111111111111';
const colleague = '22222222-2222-4222-8222-222222222222';

describe('maySessionBeOperatedBy', () => {
  it('lets the treating practitioner operate their own session', () => {
    expect(maySessionBeOperatedBy({ userId: me, role: 'practitioner' }, me)).toEqual({ ok: true });
  });

  it('refuses another practitioner, and any practitioner when the treating one has no account', () => {
    for (const treating of [colleague, null]) {
      const verdict = maySessionBeOperatedBy({ userId: me, role: 'practitioner' }, treating);
      expect(verdict).toEqual({
        ok: false,
        reason: 'only the treating practitioner or a supervisor may operate this session',
      });
    }
  });

  it('lets a supervisor operate anyone’s session', () => {
    expect(maySessionBeOperatedBy({ userId: me, role: 'supervisor' }, colleague)).toEqual({
      ok: true,
    });
    expect(maySessionBeOperatedBy({ userId: me, role: 'supervisor' }, null)).toEqual({ ok: true });
  });

  it('never lets a role without session.operate, even on a session naming them', () => {
    for (const role of ['scheduler', 'admin'] as const) {
      expect(maySessionBeOperatedBy({ userId: me, role }, me).ok).toBe(false);
    }
  });
});
