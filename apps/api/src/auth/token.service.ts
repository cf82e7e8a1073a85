import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenClaims } from '@tautline/domain';
import { z } from 'zod';
import { Problem } from '../common/problem';
import { type AuthenticatedUser } from '../tenancy/tenant-scope';
import { UserDirectory } from './user-directory.service';

const unauthorized = (detail: string) =>
  new Problem(HttpStatus.UNAUTHORIZED, 'Unauthorized', detail);

/**
 * What a presented token must carry. jsonwebtoken checks `exp` only when it is there, so a token
 * minted without one would never expire: `exp` and `iat` are required here.
 */
const PresentedClaims = AccessTokenClaims.extend({
  iat: z.number().int().positive(),
  exp: z.number().int().positive(),
});

/** Issues access tokens and turns a presented token back into a current user (HTTP and sockets alike). */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UserDirectory,
  ) {}

  /** `expiresIn` (seconds) shortens the configured lifetime, e.g. at the end of a sign-in session. */
  issue(user: AuthenticatedUser, expiresIn?: number): Promise<string> {
    const claims: AccessTokenClaims = { sub: user.id, org: user.organisationId, role: user.role };
    return this.jwt.signAsync(claims, expiresIn === undefined ? undefined : { expiresIn });
  }

  /**
   * Verifies signature and expiry (a token without `exp`, `iat` or `sub` is refused), then re-reads
   * the user so revoked access and memberships apply at once.
   */
  async authenticate(
    token: string | undefined,
  ): Promise<{ user: AuthenticatedUser; expiresAt: number }> {
    if (!token) throw unauthorized('a bearer token is required');
    let payload: Record<string, unknown>;
    try {
      payload = await this.jwt.verifyAsync(token);
    } catch (e) {
      throw unauthorized(
        (e as Error).name === 'TokenExpiredError'
          ? 'the token has expired'
          : 'the token is invalid',
      );
    }
    const claims = PresentedClaims.safeParse(payload);
    if (!claims.success || claims.data.exp <= claims.data.iat)
      throw unauthorized('the token is invalid');
    const user = await this.users.byId(claims.data.sub);
    if (!user || user.organisationId !== claims.data.org)
      throw unauthorized('the account is no longer active');
    return { user, expiresAt: claims.data.exp * 1000 };
  }
}
