import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type TypedQueue } from '@tautline/queues';
import { closeWithin } from '@tautline/queues';
import { NOTICES_QUEUE } from './notices.queue';

@Injectable()
export class NoticesService implements OnApplicationShutdown {
  constructor(@Inject(NOTICES_QUEUE) private readonly queue: TypedQueue<'notices'>) {}

  /** Hands the notice to the worker, which fans it out to the clinic's live room. */
  async post(
    organisationId: string,
    clinicId: string,
    message: string,
    postedBy: string,
  ): Promise<{ id: string }> {
    const job = await this.queue.add('notice.post', {
      organisationId,
      clinicId,
      message,
      postedBy,
      postedAt: new Date().toISOString(),
    });
    return { id: String(job.id) };
  }

  async onApplicationShutdown(): Promise<void> {
    await closeWithin(() => this.queue.close());
  }
}
