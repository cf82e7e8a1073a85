import { clinicRoom } from './live.events';
import { LoginRequest } from './auth.schemas';
import { Clinic } from './clinic.schemas';
import { isIanaTimeZone, TimeZone } from './time-zone';
import { PostNoticeRequest } from './notice.schemas';

describe('time zones', () => {
  it.each(['Europe/London', 'America/New_York', 'Australia/Sydney'])('accepts %s', (z) => {
    expect(isIanaTimeZone(z)).toBe(true);
  });

  it.each(['Mars/Olympus', 'EST', '+02:00', 'UTC+1', '', 'europe/londn'])('rejects %s', (z) => {
    expect(TimeZone.safeParse(z).success).toBe(false);
  });
});

describe('LoginRequest', () => {
  it('lower-cases the email', () => {
    expect(LoginRequest.parse({ email: 'Ana@Clinic.Test', password: 'x' }).email).toBe(
      'ana@clinic.test',
    );
  });

  it('names the failing field', () => {
    const r = LoginRequest.safeParse({ email: 'nope', password: '' });
    expect(r.success).toBe(false);
    const fields = r.error!.issues.map((i) => i.path.join('.')).sort();
    expect(fields).toEqual(['email', 'password']);
  });
});

describe('Clinic', () => {
  it('rejects a clinic in a zone that does not exist', () => {
    const r = Clinic.safeParse({
      id: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e8f',
      organisationId: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e80',
      name: 'Harbour',
      timeZone: 'Atlantis/Lost',
      phone: null,
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['timeZone']);
  });
});

describe('notices and rooms', () => {
  it('trims and bounds a notice', () => {
    expect(PostNoticeRequest.parse({ message: '  Room 3 closed ' }).message).toBe('Room 3 closed');
    expect(PostNoticeRequest.safeParse({ message: '   ' }).success).toBe(false);
    expect(PostNoticeRequest.safeParse({ message: 'x'.repeat(281) }).success).toBe(false);
  });

  it('names clinic rooms', () => {
    expect(clinicRoom('abc')).toBe('clinic:abc');
  });
});
