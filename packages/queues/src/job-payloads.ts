import { z } from 'zod';
import type { QueueName } from './queue-names';

/** Job payloads carry ids and short operational text only: never patient data (PHI). */
export const NoticeJob = z.object({
  organisationId: z.uuid(),
  clinicId: z.uuid(),
  message: z.string().min(1).max(280),
  postedBy: z.string().min(1),
  postedAt: z.iso.datetime(),
});
export type NoticeJob = z.infer<typeof NoticeJob>;

/** Queue → job name → payload: the typed contract between producers and processors. */
export interface JobPayloads {
  notices: { 'notice.post': NoticeJob };
}

export const JOB_SCHEMAS = {
  notices: { 'notice.post': NoticeJob },
} as const satisfies {
  [Q in QueueName]: { [J in keyof JobPayloads[Q]]: z.ZodType<JobPayloads[Q][J]> };
};

export type JobName<Q extends QueueName> = keyof JobPayloads[Q] & string;
export type JobPayload<Q extends QueueName, J extends JobName<Q> = JobName<Q>> = JobPayloads[Q][J];
