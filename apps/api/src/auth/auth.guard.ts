import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { can, type Permission } from '@tautline/domain';
import { Problem } from '../common/problem';
import { type AuthenticatedRequest, IS_PUBLIC, REQUIRED_PERMISSION } from './auth.decorators';
import { TokenService } from './token.service';

/** Global guard: every route needs a valid user token unless marked @Public, then the role's permission. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    const { user } = await this.tokens.authenticate(
      scheme?.toLowerCase() === 'bearer' ? token : undefined,
    );
    request.user = user;

    const permission = this.reflector.getAllAndOverride<Permission | undefined>(
      REQUIRED_PERMISSION,
      targets,
    );
    if (permission && !can(user.role, permission)) {
      throw new Problem(
        HttpStatus.FORBIDDEN,
        'Forbidden',
        `the ${user.role} role may not do this (${permission})`,
      );
    }
    return true;
  }
}
