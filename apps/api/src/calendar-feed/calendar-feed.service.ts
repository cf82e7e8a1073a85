import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Env } from '@tautline/config';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { notFound } from '../common/problem';
import { ENV } from '../config/config.module';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { type FeedAppointment, renderPractitionerFeed } from './calendar-feed.ics';
import { FeedSignature } from './feed-signature';

/** The feed covers this much history and future, counted from the moment it is fetched. */
export const FEED_DAYS_BACK = 30;
export const FEED_DAYS_AHEAD = 180;
/** A safety cap far above a practitioner's 210 days; a bigger answer would mean a bug. */
const FEED_MAX_EVENTS = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface FeedLink {
  url: string;
  expiresAt: string;
}

interface FeedRow {
  id: string;
  starts_at: Date;
  ends_at: Date;
  status: FeedAppointment['status'];
  version: number;
  created_at: Date;
  updated_at: Date;
  type_name: string;
  given_name: string;
  family_name: string;
  clinic_name: string;
  room_name: string;
}

@Injectable()
export class CalendarFeedService {
  private readonly signature: FeedSignature;
  /** Links are built on the configured public origin, never on a Host or X-Forwarded-Host a client sent. */
  private readonly publicBase: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(ENV) env: Env,
    private readonly audit: AuditService,
  ) {
    this.signature = new FeedSignature(env.JWT_SECRET);
    this.publicBase = env.PUBLIC_URL.replace(/\/+$/, '');
  }

  /**
   * A signed subscription link for a practitioner who works at one of the caller's clinics;
   * any other (another organisation's, another clinic's, unknown) is the same 404.
   */
  async issueLink(
    scope: TenantScope,
    user: AuthenticatedUser,
    practitionerId: string,
    now = new Date(),
  ): Promise<FeedLink> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT p.id FROM practitioners p
        WHERE p.id = $1 AND p.organisation_id = $2
          AND EXISTS (SELECT 1 FROM practitioner_clinics pc
                       WHERE pc.practitioner_id = p.id AND pc.clinic_id = ANY($3::uuid[]))`,
      [practitionerId, scope.organisationId, scope.clinicIds],
    );
    if (!rows[0]) throw notFound('practitioner', practitionerId);
    const { exp, sig } = this.signature.issue(practitionerId, user.id, now);
    await this.audit.record(this.db.manager, user, {
      action: 'calendar_feed.link_issued',
      subjectType: 'practitioner',
      subjectId: practitionerId,
      details: { expiresAt: exp },
    });
    return {
      url: `${this.publicBase}/api/v1/calendar-feeds/practitioners/${practitionerId}.ics?u=${user.id}&exp=${exp}&sig=${sig}`,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  /**
   * The ICS text for a signed link, or a 404 that does not say whether the signature, the expiry,
   * the practitioner or the user was wrong. Only appointments in the clinics the link's user can see
   * now: a scheduler's link never shows the practitioner's other clinics, and a revoked membership or
   * a deactivated account applies at once. One indexed range query on appointments.
   */
  async render(
    practitionerId: string,
    userId: unknown,
    exp: unknown,
    sig: unknown,
    now = new Date(),
  ): Promise<string> {
    const hidden = notFound('calendar feed', practitionerId);
    if (!this.signature.verify(practitionerId, userId, exp, sig, now)) throw hidden;
    const [practitioner]: { name: string; organisation_id: string; clinic_ids: string[] }[] =
      await this.db.query(
        `SELECT p.name, p.organisation_id,
                coalesce(array_agg(m.clinic_id) FILTER (WHERE m.clinic_id IS NOT NULL), '{}') AS clinic_ids
           FROM practitioners p
           JOIN users u ON u.id = $2 AND u.organisation_id = p.organisation_id AND u.active
           LEFT JOIN clinic_memberships m ON m.user_id = u.id
          WHERE p.id = $1
          GROUP BY p.id`,
        [practitionerId, userId],
      );
    if (!practitioner) throw hidden;

    const rows: FeedRow[] = await this.db.query(
      `SELECT a.id, a.starts_at, a.ends_at, a.status, a.version, a.created_at, a.updated_at,
              t.name AS type_name, pt.given_name, pt.family_name, c.name AS clinic_name, r.name AS room_name
         FROM appointments a
         JOIN appointment_types t ON t.id = a.appointment_type_id
         JOIN patients pt ON pt.id = a.patient_id
         JOIN clinics c ON c.id = a.clinic_id
         JOIN rooms r ON r.id = a.room_id
        WHERE a.practitioner_id = $1 AND a.organisation_id = $2
          AND a.starts_at >= $3 AND a.starts_at < $4 AND a.clinic_id = ANY($5::uuid[])
          AND a.status <> 'cancelled'
        ORDER BY a.starts_at, a.id
        LIMIT ${FEED_MAX_EVENTS}`,
      [
        practitionerId,
        practitioner.organisation_id,
        new Date(now.getTime() - FEED_DAYS_BACK * DAY_MS),
        new Date(now.getTime() + FEED_DAYS_AHEAD * DAY_MS),
        practitioner.clinic_ids,
      ],
    );
    await this.audit.record(
      this.db.manager,
      null,
      {
        action: 'calendar_feed.read',
        subjectType: 'practitioner',
        subjectId: practitionerId,
        details: { events: rows.length, issuedTo: userId },
      },
      practitioner.organisation_id,
    );
    return renderPractitionerFeed(practitioner.name, rows.map(toFeedAppointment));
  }
}

function toFeedAppointment(r: FeedRow): FeedAppointment {
  return {
    id: r.id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status: r.status,
    version: r.version,
    typeName: r.type_name,
    patientGivenName: r.given_name,
    patientFamilyName: r.family_name,
    clinicName: r.clinic_name,
    roomName: r.room_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
