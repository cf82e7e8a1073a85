import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { type Permission } from '@tautline/domain';
import { type FastifyRequest } from 'fastify';
import { type AuthenticatedUser, TenantScope } from '../tenancy/tenant-scope';

export const IS_PUBLIC = 'tautline:public';
export const REQUIRED_PERMISSION = 'tautline:permission';

/** Opens a route to callers without a user token (sign-in, health, device and patient routes). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Limits a route to roles that hold a permission (see PERMISSIONS in @tautline/domain). */
export const RequirePermission = (permission: Permission) =>
  SetMetadata(REQUIRED_PERMISSION, permission);

export type AuthenticatedRequest = FastifyRequest & { user?: AuthenticatedUser };

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthenticatedUser => {
    const user = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) throw new Error('CurrentUser used on a public route');
    return user;
  },
);

/** The caller's tenant scope, for the query-scoping helpers. */
export const Scope = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantScope => {
  const user = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('Scope used on a public route');
  return TenantScope.of(user);
});
