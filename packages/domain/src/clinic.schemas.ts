import { z } from 'zod';
import { TimeZone } from './time-zone';

export const Clinic = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  name: z.string(),
  timeZone: TimeZone,
  phone: z.string().nullable(),
});
export type Clinic = z.infer<typeof Clinic>;
