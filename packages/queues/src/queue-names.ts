/** Every BullMQ queue of Tautline; producers (api) and consumers (worker) read names only from here. */
export const QUEUE_NAMES = {
  notices: 'notices',
  reminders: 'reminders',
  telemetry: 'telemetry',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];
