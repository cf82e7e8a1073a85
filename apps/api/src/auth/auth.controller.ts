import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { type Env } from '@tautline/config';
import { LoginRequest, LoginResponse } from '@tautline/domain';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Problem } from '../common/problem';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { ENV } from '../config/config.module';
import { type ClientInfo, SUPERSEDED } from './auth-sessions.service';
import {
  clearRefreshCookie,
  readRefreshCookie,
  REFRESH_COOKIE,
  setRefreshCookie,
} from './auth.cookie';
import { Public } from './auth.decorators';
import { AuthService, type SignedIn } from './auth.service';
import { LoginThrottlerGuard } from './login-throttler.guard';

const client = (req: FastifyRequest): ClientInfo => ({
  ip: req.ip,
  userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : undefined,
});

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  private answer(req: FastifyRequest, reply: FastifyReply, signedIn: SignedIn): LoginResponse {
    setRefreshCookie(
      req,
      reply,
      signedIn.refreshToken,
      signedIn.cookieExpiresAt,
      this.env.NODE_ENV === 'production',
    );
    // Never cached by a proxy or the browser: it carries a bearer token and a new cookie.
    void reply.header('cache-control', 'no-store');
    return signedIn.response;
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(LoginThrottlerGuard)
  @SkipThrottle({ refresh: true })
  @ApiOperation({
    summary:
      'Sign in with email and password; answers a short-lived bearer token and sets the refresh cookie',
  })
  @ApiZodBody(LoginRequest)
  @ApiZodResponse(200, LoginResponse)
  @ApiProblems(400, 401, 429)
  async login(
    @Body(new ZodPipe(LoginRequest)) body: z.infer<typeof LoginRequest>,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<z.infer<typeof LoginResponse>> {
    return this.answer(req, reply, await this.auth.login(body, client(req)));
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @UseGuards(LoginThrottlerGuard)
  @SkipThrottle({ 'login-account': true, 'login-ip': true })
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOperation({
    summary:
      'Exchanges the refresh cookie for a new access token and a new cookie (rotation); a reused token ends the session',
  })
  @ApiZodResponse(200, LoginResponse)
  @ApiProblems(401, 429)
  async refresh(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<z.infer<typeof LoginResponse>> {
    try {
      return this.answer(req, reply, await this.auth.refresh(readRefreshCookie(req), client(req)));
    } catch (error) {
      // A refused cookie is of no further use: the browser drops it. Not when superseded: the
      // browser's cookie is then the newer one another tab just received.
      if (!(error instanceof Problem && error.detail === SUPERSEDED))
        clearRefreshCookie(req, reply, this.env.NODE_ENV === 'production');
      throw error;
    }
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  // Public, no security scheme: it needs no credential (an absent or unknown cookie is a no-op).
  @ApiOperation({
    summary: `Ends the sign-in session of the refresh cookie (${REFRESH_COOKIE}) and clears it`,
  })
  @ApiResponse({ status: 204, description: 'Signed out (also for an absent or unknown cookie)' })
  async logout(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(readRefreshCookie(req));
    clearRefreshCookie(req, reply, this.env.NODE_ENV === 'production');
  }
}
