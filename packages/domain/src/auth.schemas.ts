import { z } from 'zod';
import { Role } from './roles';

export const LoginRequest = z.strictObject({
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const UserProfile = z.object({
  id: z.uuid(),
  email: z.email(),
  name: z.string(),
  role: Role,
  organisationId: z.uuid(),
  clinicIds: z.array(z.uuid()),
});
export type UserProfile = z.infer<typeof UserProfile>;

export const LoginResponse = z.object({
  accessToken: z.string(),
  /** Seconds until the token expires. */
  expiresIn: z.number().int().positive(),
  /**
   * When the sign-in session (the refresh cookie) ends at the latest, ISO 8601: renewals stop
   * there and the password is needed again, so the client can warn ahead of it.
   */
  sessionExpiresAt: z.iso.datetime({ offset: true }),
  user: UserProfile,
});
export type LoginResponse = z.infer<typeof LoginResponse>;

/** Claims of the access token; clinic membership is re-read on every request, not trusted from here. */
export const AccessTokenClaims = z.object({
  sub: z.uuid(),
  org: z.uuid(),
  role: Role,
});
export type AccessTokenClaims = z.infer<typeof AccessTokenClaims>;
