import type { AppointmentType } from './resources.schemas';
import {
  CONTRAINDICATIONS,
  type ContraindicationCode,
  type Treatment,
} from './screening.catalogue';
import type {
  PatientScreening,
  ScreeningBlock,
  ScreeningResult,
  ScreeningWarning,
} from './screening.schemas';

const CONSENT_LABELS: Record<Treatment, string> = {
  dry_needling: 'No dry-needling consent on file',
  estim: 'No e-stim consent on file',
};

/**
 * The treatments an appointment type delivers. Dry needling is read from
 * `requiresDryNeedlingCert` (the type's only needling flag); e-stim goes through needles, so
 * it brings dry needling too. A type with neither (an initial evaluation) needs no screening.
 */
export function treatmentsOf(
  type: Pick<AppointmentType, 'requiresDryNeedlingCert' | 'usesEstim'>,
): Treatment[] {
  const treatments: Treatment[] = [];
  if (type.requiresDryNeedlingCert || type.usesEstim) treatments.push('dry_needling');
  if (type.usesEstim) treatments.push('estim');
  return treatments;
}

/**
 * Whether the patient may have this appointment type on local date `onDate`.
 * Missing consent (signed on or before that date) and absolute contraindications always
 * block; relative ones block unless an override with a written reason is given, in which
 * case they come back as warnings to record with the booking.
 */
export function screenPatient(
  screening: PatientScreening,
  appointmentType: Pick<AppointmentType, 'requiresDryNeedlingCert' | 'usesEstim'>,
  onDate: string,
): ScreeningResult {
  const absolute: ScreeningBlock[] = [];
  const relative: Array<ScreeningBlock & { code: ContraindicationCode }> = [];
  for (const treatment of treatmentsOf(appointmentType)) {
    const consented = screening.consents.some((c) => c.kind === treatment && c.signedOn <= onDate);
    if (!consented) {
      absolute.push({
        code: 'consent_missing',
        label: CONSENT_LABELS[treatment],
        severity: 'absolute',
        treatment,
      });
    }
    for (const code of new Set(screening.contraindications)) {
      const { label, severity } = CONTRAINDICATIONS[code];
      const level = severity[treatment];
      if (level === 'absolute') absolute.push({ code, label, severity: level, treatment });
      if (level === 'relative') relative.push({ code, label, severity: level, treatment });
    }
  }

  const override = screening.override;
  const overridden = override !== undefined && override.reason.trim().length > 0;
  if (absolute.length === 0 && (relative.length === 0 || overridden)) {
    const warnings: ScreeningWarning[] = overridden
      ? relative.map((b) => ({
          code: 'relative_contraindication_overridden',
          contraindication: b.code,
          treatment: b.treatment,
          reason: override.reason.trim(),
          practitionerId: override.practitionerId,
        }))
      : [];
    return { allowed: true, blocks: [], needsOverride: false, warnings };
  }
  // An override cannot lift an absolute block, so only ask for one when it would help.
  return {
    allowed: false,
    blocks: [...absolute, ...relative],
    needsOverride: absolute.length === 0,
    warnings: [],
  };
}
