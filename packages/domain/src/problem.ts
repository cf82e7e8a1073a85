import { z } from 'zod';

/** RFC 9457 problem details, as every 4xx/5xx answer of the API is shaped. */
export const ProblemDetails = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  /** One entry per failing field, `field` as a dotted path (`body.email`, `query.clinicId`). */
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type ProblemDetails = z.infer<typeof ProblemDetails>;
export type FieldError = NonNullable<ProblemDetails['errors']>[number];

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
