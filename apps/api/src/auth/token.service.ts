import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenClaims } from '@tautline/domain';
import { Problem } from '../common/problem';
import { type AuthenticatedUser } from '../tenancy/tenant-scope';
import { UserDirectory } from './user-directory.service';

const unauthorized = (detail: string) => new Problem(HttpStatus.UNAUTHORIZED, 'Unauthorized', detail);

/** Issues access tokens and turns a presented token back into a current user (HTTP and sockets alike). */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UserDirectory,
  ) {}

  issue(user: AuthenticatedUser): Promise<string> {
    const claims: AccessTokenClaims = { sub: user.id, org: user.organisationId, role: user.role };
    return this.jwt.signAsync(claims);
  }

  /** Verifies signature and expiry, then re-reads the user so revoked access and memberships apply at once. */
  async authenticate(token: string | undefined): Promise<{ user: AuthenticatedUser; expiresAt: number }> {
    if (!token) throw unauthorized('a bearer token is required');
    let payload: Record<string, unknown>;
    try {
      payload = await this.jwt.verifyAsync(token);
    } catch (e) {
      throw unauthorized((e as Error).name === 'TokenExpiredError' ? 'the token has expired' : 'the token is invalid');
    }
    const claims = AccessTokenClaims.safeParse(payload);
    if (!claims.success) throw unauthorized('the token is invalid');
    const user = await this.users.byId(claims.data.sub);
    if (!user || user.organisationId !== claims.data.org) throw unauthorized('the account is no longer active');
    return { user, expiresAt: Number(payload.exp) * 1000 };
  }
}
