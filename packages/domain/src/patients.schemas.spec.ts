import {
  CreatePatientRequest,
  latestDateOnEarth,
  parsePatientSearch,
  PatientSearchBody,
  PatientSearchQuery,
  Phone,
  RecordConsentRequest,
  screeningSummary,
  SetContraindicationsRequest,
  toE164,
  UpdatePatientRequest,
} from './patients.schemas';

const CLINIC = '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e8f';
const valid = {
  clinicId: CLINIC,
  givenName: ' Ana ',
  familyName: 'García',
  dateOfBirth: '1985-04-12',
  phone: '+44 7911 123456',
  preferredChannel: 'sms',
};

const fieldsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (r.error?.issues ?? []).map((i) => i.path.join('.')).sort();

describe('Phone', () => {
  it.each([
    ['+44 7911 123456', '+447911123456'],
    ['+1 (415) 555-2671', '+14155552671'],
    ['  +33612345678 ', '+33612345678'],
  ])('normalises %s to E.164', (input, e164) => {
    expect(Phone.parse(input)).toBe(e164);
  });

  it.each([
    '07911 123456',
    '4155552671',
    '+44 12',
    '+999 123456789',
    'call me',
    '',
    '+1 415 555 2671 ext. 12',
  ])('rejects %s', (input) => {
    expect(Phone.safeParse(input).success).toBe(false);
    expect(toE164(input)).toBeUndefined();
  });

  it('explains that a national number needs its country code', () => {
    const r = Phone.safeParse('07911 123456');
    expect(r.error!.issues[0]!.message).toMatch(/E\.164/);
  });
});

describe('CreatePatientRequest', () => {
  it('accepts a patient, trimming names and normalising the phone', () => {
    const p = CreatePatientRequest.parse(valid);
    expect(p).toMatchObject({ givenName: 'Ana', familyName: 'García', phone: '+447911123456' });
    expect(p.timeZone).toBeUndefined();
  });

  it('needs a phone for sms and an email for email reminders', () => {
    expect(fieldsOf(CreatePatientRequest.safeParse({ ...valid, phone: undefined }))).toEqual([
      'phone',
    ]);
    expect(
      fieldsOf(CreatePatientRequest.safeParse({ ...valid, preferredChannel: 'email' })),
    ).toEqual(['email']);
    expect(
      CreatePatientRequest.safeParse({
        ...valid,
        preferredChannel: 'email',
        email: 'ana@example.test',
      }).success,
    ).toBe(true);
  });

  it('refuses a date of birth in the future, before 1900 or not on the calendar', () => {
    const tomorrowEverywhere = new Date(Date.now() + 40 * 3600_000).toISOString().slice(0, 10);
    for (const dateOfBirth of [tomorrowEverywhere, '1899-12-31', '1990-02-30', '12/04/1985']) {
      expect(fieldsOf(CreatePatientRequest.safeParse({ ...valid, dateOfBirth }))).toEqual([
        'dateOfBirth',
      ]);
    }
    expect(CreatePatientRequest.safeParse({ ...valid, dateOfBirth: '1900-01-01' }).success).toBe(
      true,
    );
  });

  it('takes today as a date of birth even where today is already tomorrow in UTC', () => {
    expect(latestDateOnEarth(Date.parse('2026-03-01T12:00:00Z'))).toBe('2026-03-02');
    expect(
      CreatePatientRequest.safeParse({
        ...valid,
        dateOfBirth: new Date().toISOString().slice(0, 10),
      }).success,
    ).toBe(true);
  });

  it('refuses control characters (PostgreSQL cannot even store NUL) in names, terms and versions', () => {
    expect(fieldsOf(CreatePatientRequest.safeParse({ ...valid, givenName: 'An\u0000a' }))).toEqual([
      'givenName',
    ]);
    expect(fieldsOf(CreatePatientRequest.safeParse({ ...valid, familyName: 'Gar\ncía' }))).toEqual([
      'familyName',
    ]);
    expect(fieldsOf(PatientSearchQuery.safeParse({ q: 'a\u0000' }))).toEqual(['q']);
    // Trimming would hide a trailing vertical tab or form feed: they are refused, not dropped.
    expect(fieldsOf(PatientSearchBody.safeParse({ q: 'gar\u000b' }))).toEqual(['q']);
    expect(fieldsOf(CreatePatientRequest.safeParse({ ...valid, givenName: 'Ana\u000c' }))).toEqual([
      'givenName',
    ]);
    expect(
      fieldsOf(
        SetContraindicationsRequest.safeParse({
          contraindications: [{ code: 'diabetes', note: 'type 2\u000b' }],
        }),
      ),
    ).toEqual(['contraindications.0.note']);
    expect(
      fieldsOf(
        RecordConsentRequest.safeParse({
          kind: 'estim',
          signedOn: '2025-01-10',
          version: 'v\u00071',
        }),
      ),
    ).toEqual(['version']);
    const note = SetContraindicationsRequest.safeParse({
      contraindications: [{ code: 'diabetes', note: 'type 2\nsince 2010' }],
    });
    expect(note.success).toBe(true);
  });

  it('names every failing field', () => {
    const r = CreatePatientRequest.safeParse({
      clinicId: 'x',
      givenName: '  ',
      familyName: 'y'.repeat(101),
      dateOfBirth: '1985-04-12',
      phone: '12345',
      email: 'nope',
      preferredChannel: 'pigeon',
      timeZone: 'Mars/Olympus',
    });
    expect(fieldsOf(r)).toEqual([
      'clinicId',
      'email',
      'familyName',
      'givenName',
      'phone',
      'preferredChannel',
      'timeZone',
    ]);
  });
});

describe('UpdatePatientRequest', () => {
  it('takes any subset, null clearing a phone or email', () => {
    expect(UpdatePatientRequest.parse({ phone: null })).toEqual({ phone: null });
    expect(UpdatePatientRequest.parse({ familyName: ' Lee ' })).toEqual({ familyName: 'Lee' });
  });

  it('refuses an empty change', () => {
    expect(UpdatePatientRequest.safeParse({}).success).toBe(false);
  });
});

describe('PatientSearchQuery and parsePatientSearch', () => {
  it('coerces and bounds the page size', () => {
    expect(PatientSearchQuery.parse({ limit: '5' })).toEqual({ limit: 5, offset: 0 });
    expect(fieldsOf(PatientSearchQuery.safeParse({ limit: '51' }))).toEqual(['limit']);
    expect(fieldsOf(PatientSearchQuery.safeParse({ limit: 'ten' }))).toEqual(['limit']);
  });

  it('reads phone digits, international or national', () => {
    expect(parsePatientSearch('+44 7911')).toEqual({
      by: 'phone',
      digits: '447911',
      international: true,
    });
    expect(parsePatientSearch('07911 123')).toEqual({
      by: 'phone',
      digits: '7911123',
      international: false,
    });
  });

  it('reads names as lower-case prefixes', () => {
    expect(parsePatientSearch(' Ana  GAR ')).toEqual({ by: 'name', prefixes: ['ana', 'gar'] });
    expect(parsePatientSearch("o'neil")).toEqual({ by: 'name', prefixes: ["o'neil"] });
  });
});

describe('RecordConsentRequest', () => {
  it('accepts a signed consent and refuses one signed in the future', () => {
    expect(
      RecordConsentRequest.parse({ kind: 'estim', signedOn: '2025-01-10', version: ' v2 ' })
        .version,
    ).toBe('v2');
    const r = RecordConsentRequest.safeParse({
      kind: 'estim',
      signedOn: '2999-01-01',
      version: 'v2',
    });
    expect(fieldsOf(r)).toEqual(['signedOn']);
    expect(
      fieldsOf(
        RecordConsentRequest.safeParse({ kind: 'massage', signedOn: '2025-01-10', version: '' }),
      ),
    ).toEqual(['kind', 'version']);
  });
});

describe('SetContraindicationsRequest', () => {
  it('accepts catalogue codes with optional notes', () => {
    const r = SetContraindicationsRequest.parse({
      contraindications: [{ code: 'pacemaker', note: ' fitted 2019 ' }, { code: 'anticoagulants' }],
    });
    expect(r.contraindications[0]!.note).toBe('fitted 2019');
  });

  it('refuses an unknown code and a code listed twice, naming the entry', () => {
    expect(
      fieldsOf(
        SetContraindicationsRequest.safeParse({ contraindications: [{ code: 'vampirism' }] }),
      ),
    ).toEqual(['contraindications.0.code']);
    const twice = SetContraindicationsRequest.safeParse({
      contraindications: [{ code: 'pregnancy' }, { code: 'pregnancy' }],
    });
    expect(fieldsOf(twice)).toEqual(['contraindications.1.code']);
  });
});

describe('screeningSummary', () => {
  const consents = [
    { kind: 'dry_needling' as const, signedOn: '2026-01-05', version: 'v3' },
    { kind: 'estim' as const, signedOn: '2026-01-05', version: 'v3' },
  ];

  it('blocks both treatments without consent', () => {
    const s = screeningSummary({ consents: [], contraindications: [] }, '2026-02-01');
    expect(s.asOf).toBe('2026-02-01');
    expect(s.dry_needling.blocks.map((b) => b.code)).toEqual(['consent_missing']);
    expect(s.estim.allowed).toBe(false);
  });

  it('lets a pacemaker block e-stim only', () => {
    const s = screeningSummary({ consents, contraindications: ['pacemaker'] }, '2026-02-01');
    expect(s.dry_needling.allowed).toBe(true);
    expect(s.estim).toMatchObject({ allowed: false, needsOverride: false });
    expect(s.estim.blocks.map((b) => b.code)).toEqual(['pacemaker']);
  });

  it('asks for an override for anticoagulants, ignoring any override passed in', () => {
    const s = screeningSummary(
      {
        consents,
        contraindications: ['anticoagulants'],
        override: { reason: 'INR checked', practitionerId: CLINIC },
      },
      '2026-02-01',
    );
    expect(s.dry_needling).toMatchObject({ allowed: false, needsOverride: true });
    expect(s.estim).toMatchObject({ allowed: false, needsOverride: true });
  });
});
