import { z } from 'zod';

/** The treatments screening is about. E-stim is delivered through needles, so it implies dry needling. */
export const TREATMENTS = ['dry_needling', 'estim'] as const;
export const Treatment = z.enum(TREATMENTS);
export type Treatment = z.infer<typeof Treatment>;

/**
 * `absolute`: never book. `relative`: book only when a practitioner overrides with a written
 * reason. `none`: no bearing on that treatment.
 */
export const CONTRAINDICATION_SEVERITIES = ['absolute', 'relative', 'none'] as const;
export const ContraindicationSeverity = z.enum(CONTRAINDICATION_SEVERITIES);
export type ContraindicationSeverity = z.infer<typeof ContraindicationSeverity>;

export interface ContraindicationEntry {
  label: string;
  severity: Record<Treatment, ContraindicationSeverity>;
}

const entry = (
  label: string,
  dryNeedling: ContraindicationSeverity,
  estim: ContraindicationSeverity,
): ContraindicationEntry => ({ label, severity: { dry_needling: dryNeedling, estim } });

/** The contraindication catalogue; patient records refer to it by code. */
export const CONTRAINDICATIONS = {
  needle_phobia: entry('Needle phobia', 'absolute', 'absolute'),
  lymphoedema: entry('Lymphoedema of the limb', 'absolute', 'absolute'),
  local_infection: entry('Local infection at the needling site', 'absolute', 'absolute'),
  // Implanted electrical devices are a hazard for current, not for a needle.
  pacemaker: entry('Implanted pacemaker', 'none', 'absolute'),
  implanted_defibrillator: entry('Implanted defibrillator', 'none', 'absolute'),
  anticoagulants: entry('Takes anticoagulants', 'relative', 'relative'),
  bleeding_disorder: entry('Bleeding disorder', 'relative', 'relative'),
  pregnancy: entry('Pregnancy', 'relative', 'relative'),
  diabetes: entry('Diabetes', 'relative', 'relative'),
  epilepsy: entry('Epilepsy', 'relative', 'relative'),
  immunocompromise: entry('Immunocompromise', 'relative', 'relative'),
  metal_allergy: entry('Metal (nickel) allergy', 'relative', 'relative'),
} as const satisfies Record<string, ContraindicationEntry>;

export type ContraindicationCode = keyof typeof CONTRAINDICATIONS;
export const CONTRAINDICATION_CODES = Object.keys(CONTRAINDICATIONS) as [
  ContraindicationCode,
  ...ContraindicationCode[],
];
export const ContraindicationCode = z.enum(CONTRAINDICATION_CODES);
