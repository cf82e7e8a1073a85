import ICAL from 'ical.js';
import {
  type BookingFixture,
  loadBookingFixture,
  upcoming,
} from '../scheduling/testing/booking-fixture';
import { startTestApp, type TestApp } from '../testing/test-app';
import { initials } from './calendar-feed.ics';
import { FEED_LINK_TTL_SECONDS, FeedSignature } from './feed-signature';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('per-practitioner ICS feed behind a signed URL (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let f: BookingFixture;
  let scheduler: string;
  let signer: FeedSignature;
  let feedUrl: URL;
  let ics: string;
  /** Appointments booked through the API, by label. */
  const booked: Record<
    string,
    { id: string; start: string; end: string; roomId: string; version: number }
  > = {};

  const book = async (label: string, json: Record<string, unknown>) => {
    const res = await t.request('/api/v1/appointments', { method: 'POST', token: scheduler, json });
    if (res.status !== 201) throw new Error(`booking ${label}: ${res.status} ${await res.text()}`);
    booked[label] = await res.json();
  };
  const linkFor = (practitionerId: string, token = scheduler) =>
    t.request(`/api/v1/practitioners/${practitionerId}/calendar-feed`, { token });
  /** A feed URL on this app with any path id / query (no token: calendar clients have none). */
  const fetchFeed = (id: string, query: string) =>
    fetch(`${t.url}/api/v1/calendar-feeds/practitioners/${id}.ics?${query}`);
  const schedulerId = () => t.demo.userIds['scheduler@tautline.test']!;
  const signedQuery = (id: string, exp: number, user = schedulerId()) =>
    `u=${user}&exp=${exp}&sig=${signer.sign(id, user, exp)}`;
  /** Links are on PUBLIC_URL (the dashboard's origin, which proxies /api); the test fetches them from the app. */
  const onApp = (url: URL) => fetch(`${t.url}${url.pathname}${url.search}`);
  const linkOf = async (res: Response) => new URL(((await res.json()) as { url: string }).url);
  const inFuture = () => Math.floor(Date.now() / 1000) + 3600;

  beforeAll(async () => {
    t = await startTestApp('calendar-feed', { PUBLIC_URL: 'https://clinic.example.org/' });
    f = await loadBookingFixture(t);
    scheduler = await t.login('scheduler@tautline.test');
    signer = new FeedSignature(t.env.JWT_SECRET);

    await book('olivia', {
      clinicId: f.londonBridge,
      patientId: f.olivia,
      practitionerId: f.rhys,
      appointmentTypeId: f.dryNeedling30,
      start: upcoming(1, '09:00'),
    });
    await book('hannah', {
      clinicId: f.londonBridge,
      patientId: f.hannah,
      practitionerId: f.rhys,
      appointmentTypeId: f.evaluation60,
      start: upcoming(2, '14:00'),
    });
    await book('kwame', {
      clinicId: f.londonBridge,
      patientId: f.kwame,
      practitionerId: f.rhys,
      appointmentTypeId: f.dryNeedling30,
      start: upcoming(3, '10:30'),
    });
    // Eleanor's appointment must not leak into Rhys's feed.
    await book('eleanor', {
      clinicId: f.londonBridge,
      patientId: f.olivia,
      practitionerId: f.eleanor,
      appointmentTypeId: f.dryNeedling30,
      start: upcoming(5, '11:00'),
    });
    const confirmed = await t.request(`/api/v1/appointments/${booked.hannah!.id}/confirm`, {
      method: 'POST',
      token: scheduler,
      json: {},
    });
    expect(confirmed.status).toBe(200);
    booked.hannah = await confirmed.json();
    const cancelled = await t.request(`/api/v1/appointments/${booked.kwame!.id}/cancel`, {
      method: 'POST',
      token: scheduler,
      json: { reason: 'Patient unwell' },
    });
    expect(cancelled.status).toBe(200);

    const res = await linkFor(f.rhys);
    expect(res.status).toBe(200);
    const link = await res.json();
    feedUrl = new URL(link.url);
    const feed = await onApp(feedUrl);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    ics = await feed.text();
  });
  afterAll(() => t.close());

  const events = () => {
    const calendar = new ICAL.Component(ICAL.parse(ics));
    return { calendar, events: calendar.getAllSubcomponents('vevent') };
  };
  const eventFor = (appointmentId: string) =>
    events().events.find((e) => e.getFirstPropertyValue('uid') === `${appointmentId}@tautline`);
  const roomName = async (id: string) =>
    (await t.db.dataSource.query(`SELECT name FROM rooms WHERE id = $1`, [id]))[0].name as string;

  it('issues an absolute URL on PUBLIC_URL, signed for the caller, expiring in 180 days', async () => {
    expect(feedUrl.origin).toBe('https://clinic.example.org');
    expect(feedUrl.pathname).toBe(`/api/v1/calendar-feeds/practitioners/${f.rhys}.ics`);
    const exp = Number(feedUrl.searchParams.get('exp'));
    expect(feedUrl.searchParams.get('u')).toBe(schedulerId());
    expect(feedUrl.searchParams.get('sig')).toBe(signer.sign(f.rhys, schedulerId(), exp));
    expect(exp * 1000 - Date.now()).toBeGreaterThan(FEED_LINK_TTL_SECONDS * 1000 - 60_000);
    expect(exp * 1000 - Date.now()).toBeLessThanOrEqual(FEED_LINK_TTL_SECONDS * 1000);
    const again = await (await linkFor(f.rhys)).json();
    expect(again.expiresAt).toBe(
      new Date(Number(new URL(again.url).searchParams.get('exp')) * 1000).toISOString(),
    );
    const [audit] = await t.db.dataSource.query(
      `SELECT actor_user_id, outcome FROM audit_events WHERE action = 'calendar_feed.link_issued' AND subject_id = $1 LIMIT 1`,
      [f.rhys],
    );
    expect(audit).toEqual({
      actor_user_id: t.demo.userIds['scheduler@tautline.test'],
      outcome: 'success',
    });
  });

  it('serves the practitioner’s appointments, parsed by ical.js, with UTC times and minimum details', async () => {
    const { calendar } = events();
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Rhys Calloway — Tautline');
    const olivia = eventFor(booked.olivia!.id);
    expect(olivia).toBeDefined();
    const start = olivia!.getFirstPropertyValue('dtstart') as ICAL.Time;
    const end = olivia!.getFirstPropertyValue('dtend') as ICAL.Time;
    expect(start.zone?.tzid).toBe('UTC');
    expect(start.toJSDate().toISOString()).toBe(new Date(booked.olivia!.start).toISOString());
    expect(end.toJSDate().toISOString()).toBe(new Date(booked.olivia!.end).toISOString());
    expect(olivia!.getFirstPropertyValue('summary')).toBe('Dry needling 30 min — O.M.');
    expect(olivia!.getFirstPropertyValue('location')).toBe(
      `London Bridge, ${await roomName(booked.olivia!.roomId)}`,
    );
    expect(olivia!.getFirstPropertyValue('status')).toBe('TENTATIVE');
    expect(olivia!.getFirstPropertyValue('sequence')).toBe(1);

    const hannah = eventFor(booked.hannah!.id)!;
    expect(hannah.getFirstPropertyValue('summary')).toBe('Initial evaluation 60 min — H.L.');
    expect(hannah.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(hannah.getFirstPropertyValue('sequence')).toBe(booked.hannah!.version);
    expect(booked.hannah!.version).toBeGreaterThan(1);
  });

  it('leaves out cancelled appointments and other practitioners’ appointments', () => {
    expect(eventFor(booked.kwame!.id)).toBeUndefined();
    expect(eventFor(booked.eleanor!.id)).toBeUndefined();
    expect(events().events).toHaveLength(2);
  });

  it('never carries a patient’s full name, phone, email or date of birth', () => {
    for (const secret of [
      'Olivia',
      'Marsh',
      'Hannah',
      'Lockwood',
      'Kwame',
      'Mensah',
      '+447700900101',
      '7700900101',
      'olivia.marsh@example.com',
      'hannah.lockwood@example.com',
      '1984-03-12',
      '19840312',
      '1990-07-21',
      '19900721',
      'DESCRIPTION',
      'ATTENDEE',
    ]) {
      expect(ics).not.toContain(secret);
    }
  });

  it('covers 30 days back to 180 days ahead', async () => {
    const at = async (daysFromNow: number) => {
      const starts = new Date(Date.now() + daysFromNow * DAY_MS);
      starts.setUTCMinutes(0, 0, 0);
      const [row] = await t.db.dataSource.query(
        `INSERT INTO appointments (organisation_id, clinic_id, patient_id, practitioner_id, room_id, appointment_type_id,
           starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7::timestamptz + interval '30 minutes', 0, 0, $8) RETURNING id`,
        [
          t.demo.organisationId,
          f.londonBridge,
          f.george,
          f.rhys,
          f.rooms.plain[1],
          f.dryNeedling30,
          starts,
          t.demo.userIds['scheduler@tautline.test'],
        ],
      );
      return row.id as string;
    };
    const inside = [await at(-29), await at(179)];
    const outside = [await at(-31), await at(181)];
    ics = await (await onApp(feedUrl)).text();
    for (const id of inside) expect(eventFor(id)).toBeDefined();
    for (const id of outside) expect(eventFor(id)).toBeUndefined();
  });

  it('answers the same 404 problem for a tampered signature, an expired link, a swapped or unknown id', async () => {
    const exp = Number(feedUrl.searchParams.get('exp'));
    const sig = feedUrl.searchParams.get('sig')!;
    const u = `u=${schedulerId()}`;
    const adminId = t.demo.userIds['admin@tautline.test']!;
    const flipped = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
    const [org] = await t.db.dataSource.query(
      `INSERT INTO organisations (slug, name) VALUES ('rival', 'Rival Physio') RETURNING id`,
    );
    const [foreign] = await t.db.dataSource.query(
      `INSERT INTO practitioners (organisation_id, name) VALUES ($1, 'Rival Practitioner') RETURNING id`,
      [org.id],
    );
    const past = Math.floor(Date.now() / 1000) - 60;
    const attempts = [
      fetchFeed(f.rhys, `${u}&exp=${exp}&sig=${flipped}`), // tampered signature
      fetchFeed(f.rhys, `${u}&exp=${exp + 1}&sig=${sig}`), // extended expiry, old signature
      fetchFeed(f.rhys, signedQuery(f.rhys, past)), // correctly signed but expired
      fetchFeed(foreign.id, `${u}&exp=${exp}&sig=${sig}`), // another organisation's practitioner, our signature
      fetchFeed(f.eleanor, `${u}&exp=${exp}&sig=${sig}`), // another practitioner, Rhys's signature
      fetchFeed(
        '00000000-0000-4000-8000-000000000000',
        signedQuery('00000000-0000-4000-8000-000000000000', inFuture()),
      ),
      fetchFeed(f.rhys, ''), // no signature at all
      fetchFeed(f.rhys, `${u}&exp=${exp}&sig=${sig.toUpperCase()}`),
      fetchFeed(f.rhys, `u=${adminId}&exp=${exp}&sig=${sig}`), // the scheduler's link passed off as the admin's
      fetchFeed(f.rhys, `exp=${exp}&sig=${sig}`), // the user left out
      fetchFeed('not-a-uuid', `${u}&exp=${exp}&sig=${sig}`),
      fetch(`${t.url}/api/v1/calendar-feeds/practitioners/${f.rhys}?${u}&exp=${exp}&sig=${sig}`), // no .ics
    ];
    const answers = await Promise.all(attempts);
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as {
      title: string;
      detail: string;
    }[];
    expect(new Set(bodies.slice(0, 11).map((b) => b.title))).toEqual(new Set(['Not found']));
    // For Rhys, a tampered, re-dated, expired, missing or re-addressed signature reads exactly the same.
    const forRhys = [0, 1, 2, 6, 7, 8, 9].map((i) => ({ ...bodies[i], instance: undefined }));
    for (const body of forRhys) expect(body).toEqual(forRhys[0]);
    expect(forRhys[0]!.detail).toBe(`calendar feed ${f.rhys} was not found`);
    // A link we sign for the other organisation's practitioner on their behalf still has nothing to
    // show from ours: the feed reads only that practitioner's own appointments.
    const [rival] = await t.db.dataSource.query(
      `INSERT INTO users (organisation_id, email, name, role, password_hash)
       VALUES ($1, 'rival@rival.test', 'Rival Admin', 'admin', 'x') RETURNING id`,
      [org.id],
    );
    // A signed link naming a user of our organisation for their practitioner shows nothing either.
    expect((await fetchFeed(foreign.id, signedQuery(foreign.id, inFuture()))).status).toBe(404);
    const theirs = await fetchFeed(foreign.id, signedQuery(foreign.id, inFuture(), rival.id));
    expect(theirs.status).toBe(200);
    expect(
      new ICAL.Component(ICAL.parse(await theirs.text())).getAllSubcomponents('vevent'),
    ).toHaveLength(0);
  });

  it('issues links only for practitioners at the caller’s clinics; others are 404 like unknown ones', async () => {
    const [org] = await t.db.dataSource.query(`SELECT id FROM organisations WHERE slug = 'rival'`);
    const [foreign] = await t.db.dataSource.query(
      `SELECT id FROM practitioners WHERE organisation_id = $1`,
      [org.id],
    );
    const [pat] = await t.db.dataSource.query(
      `SELECT id FROM practitioners WHERE name = 'Pat Practitioner'`,
    );
    const admin = await t.login('admin@tautline.test');
    const nyPractitioner = await t.login('practitioner@tautline.test');

    // Scheduler works at London Bridge and Manchester; Pat works in New York.
    expect((await linkFor(pat.id)).status).toBe(404);
    // The New York practitioner does not work at Rhys's clinic.
    const outsider = await linkFor(f.rhys, nyPractitioner);
    expect(outsider.status).toBe(404);
    expect((await outsider.json()).detail).toBe(`practitioner ${f.rhys} was not found`);
    expect((await linkFor(pat.id, nyPractitioner)).status).toBe(200);
    // Another organisation's practitioner, even for an admin of all our clinics.
    expect((await linkFor(foreign.id, admin)).status).toBe(404);
    expect((await linkFor('00000000-0000-4000-8000-000000000000', admin)).status).toBe(404);
    // Eleanor works at both London Bridge and Manchester: either is enough.
    expect((await linkFor(f.eleanor)).status).toBe(200);
  });

  it('needs a token for the link and names a malformed id', async () => {
    expect((await t.request(`/api/v1/practitioners/${f.rhys}/calendar-feed`)).status).toBe(401);
    const bad = await linkFor('not-a-uuid');
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].field).toBe('param.id');
  });

  it('builds the link on PUBLIC_URL whatever Host or X-Forwarded-Host the caller sends', async () => {
    const res = await t.request(`/api/v1/practitioners/${f.rhys}/calendar-feed`, {
      token: scheduler,
      headers: {
        'x-forwarded-proto': 'http',
        'x-forwarded-host': 'evil.example.net',
        host: 'evil.example.net',
      },
    });
    expect(res.status).toBe(200);
    expect((await linkOf(res)).origin).toBe('https://clinic.example.org');
  });

  it('shows only the appointments in clinics the link’s user can see, as they are when fetched', async () => {
    // Rhys covering a New York appointment: the scheduler (London Bridge, Manchester) must not see it.
    const newYork = t.demo.clinicIds['new-york-chelsea']!;
    const [nyRoom] = await t.db.dataSource.query(
      `SELECT id FROM rooms WHERE clinic_id = $1 LIMIT 1`,
      [newYork],
    );
    const [nyPatient] = await t.db.dataSource.query(
      `SELECT id FROM patients WHERE organisation_id = $1 AND clinic_id = $2 LIMIT 1`,
      [t.demo.organisationId, newYork],
    );
    const [ny] = await t.db.dataSource.query(
      `INSERT INTO appointments (organisation_id, clinic_id, patient_id, practitioner_id, room_id, appointment_type_id,
         starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7::timestamptz + interval '30 minutes', 0, 0, $8) RETURNING id`,
      [
        t.demo.organisationId,
        newYork,
        nyPatient.id,
        f.rhys,
        nyRoom.id,
        f.dryNeedling30,
        new Date(upcoming(4, '10:00', 'America/New_York')),
        t.demo.userIds['admin@tautline.test'],
      ],
    );
    const uids = async (url: URL) => {
      const res = await onApp(url);
      if (res.status !== 200) return res.status;
      const parsed = new ICAL.Component(ICAL.parse(await res.text()));
      return parsed
        .getAllSubcomponents('vevent')
        .map((e) => String(e.getFirstPropertyValue('uid')));
    };
    ics = await (await onApp(feedUrl)).text();
    expect(eventFor(ny.id)).toBeUndefined();
    expect(eventFor(booked.olivia!.id)).toBeDefined();

    const admin = await t.login('admin@tautline.test');
    const adminLink = await linkOf(await linkFor(f.rhys, admin));
    expect(await uids(adminLink)).toContain(`${ny.id}@tautline`);
    // A membership revoked after the link was issued applies at once; a deactivated account ends the link.
    const adminId = t.demo.userIds['admin@tautline.test']!;
    await t.db.dataSource.query(
      `DELETE FROM clinic_memberships WHERE user_id = $1 AND clinic_id = $2`,
      [adminId, newYork],
    );
    expect(await uids(adminLink)).not.toContain(`${ny.id}@tautline`);
    await t.db.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [adminId]);
    expect(await uids(adminLink)).toBe(404);
    await t.db.dataSource.query(`UPDATE users SET active = true WHERE id = $1`, [adminId]);
    await t.db.dataSource.query(
      `INSERT INTO clinic_memberships (user_id, clinic_id, organisation_id) VALUES ($1, $2, $3)`,
      [adminId, newYork, t.demo.organisationId],
    );
  });

  it('keeps the signature (a credential) and patient details out of the logs', async () => {
    await new Promise((r) => setTimeout(r, 100));
    const logs = JSON.stringify(t.logs);
    expect(logs).toContain(`/api/v1/calendar-feeds/practitioners/${f.rhys}.ics`);
    expect(logs).not.toContain(feedUrl.searchParams.get('sig')!);
    expect(logs).not.toMatch(/Olivia|Marsh|\+447700900101/);
  });

  it('lists both routes in OpenAPI', async () => {
    const doc = await (await t.request('/api/docs-json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/practitioners/{id}/calendar-feed',
        '/api/v1/calendar-feeds/practitioners/{id}.ics',
      ]),
    );
  });
});

describe('feed helpers', () => {
  it('abbreviates names to initials', () => {
    expect(initials('Olivia', 'Marsh')).toBe('O.M.');
    expect(initials('brendan', "O'Halloran")).toBe('B.O.');
    expect(initials(' Émile ', 'Łukasz')).toBe('É.Ł.');
  });

  it('verifies only the exact, unexpired signature for the user it was issued to', () => {
    const s = new FeedSignature('x'.repeat(40));
    const id = '11111111-1111-4111-8111-111111111111';
    const user = '22222222-2222-4222-8222-222222222222';
    const now = new Date('2026-03-01T00:00:00Z');
    const { exp, sig } = s.issue(id, user, now);
    expect(exp).toBe(now.getTime() / 1000 + FEED_LINK_TTL_SECONDS);
    expect(s.verify(id, user, String(exp), sig, now)).toBe(true);
    expect(s.verify(id, user, String(exp), sig, new Date(exp * 1000))).toBe(false);
    expect(s.verify(id, user, `0${exp}`, sig, now)).toBe(false);
    expect(s.verify(id, user, [String(exp)], sig, now)).toBe(false);
    expect(s.verify(id, user, String(exp), sig.slice(0, 63), now)).toBe(false);
    expect(s.verify(id, '33333333-3333-4333-8333-333333333333', String(exp), sig, now)).toBe(false);
    expect(s.verify(id, undefined, String(exp), sig, now)).toBe(false);
    expect(new FeedSignature('y'.repeat(40)).verify(id, user, String(exp), sig, now)).toBe(false);
  });
});
