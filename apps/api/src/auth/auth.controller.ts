import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { LoginRequest, LoginResponse } from '@tautline/domain';
import { type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginThrottlerGuard } from './login-throttler.guard';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(LoginThrottlerGuard)
  @ApiOperation({ summary: 'Sign in with email and password; answers a short-lived bearer token' })
  @ApiZodBody(LoginRequest)
  @ApiZodResponse(200, LoginResponse)
  @ApiProblems(400, 401, 429)
  login(
    @Body(new ZodPipe(LoginRequest)) body: z.infer<typeof LoginRequest>,
    @Req() req: FastifyRequest,
  ): Promise<z.infer<typeof LoginResponse>> {
    return this.auth.login(body, req.ip);
  }
}
