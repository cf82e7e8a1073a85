import { z } from 'zod';
import { text } from './text.schemas';

/** A short message a supervisor posts to everyone watching a clinic ("Room 3 stimulator out of service"). */
export const PostNoticeRequest = z.strictObject({ message: text({ max: 280 }) });
export type PostNoticeRequest = z.infer<typeof PostNoticeRequest>;

export const Notice = z.object({
  id: z.string(),
  clinicId: z.uuid(),
  message: z.string(),
  postedBy: z.string(),
  postedAt: z.iso.datetime(),
});
export type Notice = z.infer<typeof Notice>;
