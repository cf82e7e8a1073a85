import { z } from 'zod';
import { EntityId, Instant } from './scheduling/calendar.schemas';
import { text } from './text.schemas';

/**
 * REST contracts of the stimulator registry. A device authenticates with its own key
 * (`Authorization: Device <key>`): shown once at creation or rotation, stored only as a hash.
 */
export const DEVICE_KEY_PREFIX = 'tld_';

export const Device = z.object({
  id: EntityId,
  clinicId: EntityId,
  /** The room it is wired in; null while in storage. One active device per room. */
  roomId: EntityId.nullable(),
  serial: z.string(),
  model: z.string(),
  firmware: z.string(),
  channels: z.number().int(),
  /** The first characters of the current key, to tell keys apart. */
  keyHint: z.string(),
  keyRotatedAt: Instant,
  revokedAt: Instant.nullable(),
  lastSeenAt: Instant.nullable(),
  createdAt: Instant,
});
export type Device = z.infer<typeof Device>;

/** A device with its key: answered once, by create and rotate-key. */
export const DeviceWithKey = Device.extend({ key: z.string() });
export type DeviceWithKey = z.infer<typeof DeviceWithKey>;

const Serial = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash and underscore, at most 64');
const Label = (max: number) => text({ max });

export const CreateDeviceRequest = z.strictObject({
  roomId: EntityId.nullable().default(null),
  serial: Serial,
  model: Label(100),
  firmware: Label(40),
  channels: z.number().int().min(1).max(8),
});
export type CreateDeviceRequest = z.infer<typeof CreateDeviceRequest>;

export const UpdateDeviceRequest = z
  .strictObject({ roomId: EntityId.nullable(), model: Label(100), firmware: Label(40) })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one field to change' });
export type UpdateDeviceRequest = z.infer<typeof UpdateDeviceRequest>;
