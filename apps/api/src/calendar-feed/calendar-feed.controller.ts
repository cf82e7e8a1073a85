import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';
import { z } from 'zod';
import { CurrentUser, Public, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { CalendarFeedService } from './calendar-feed.service';

export const CalendarFeedLink = z.object({
  url: z.url().describe('Absolute, signed subscription URL (webcal clients accept it as https)'),
  expiresAt: z.iso.datetime().describe('When the link stops working (180 days after issue)'),
});

/** Issues signed links; needs a user token like every other read. */
@ApiTags('calendar')
@ApiBearerAuth()
@Controller('practitioners/:id/calendar-feed')
export class CalendarFeedLinkController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Get()
  @RequirePermission('appointment.read')
  @ApiOperation({
    summary:
      'A signed ICS subscription URL (on PUBLIC_URL) for a practitioner who works at one of your clinics; the feed shows only your clinics',
  })
  @ApiZodResponse(200, CalendarFeedLink)
  @ApiProblems(400, 401, 403, 404)
  link(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(z.uuid())) id: string,
  ): Promise<z.infer<typeof CalendarFeedLink>> {
    return this.feeds.issueLink(scope, user, id);
  }
}

/**
 * The feed itself, fetched by calendar clients that cannot send a bearer token: the signed
 * query string is the credential. Every failure is the same 404.
 */
@ApiTags('calendar')
@Controller('calendar-feeds/practitioners')
export class CalendarFeedController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Get(':id.ics')
  @Public()
  @ApiOperation({
    summary: "A practitioner's appointments as iCalendar (signed link from …/calendar-feed)",
  })
  @ApiQuery({
    name: 'u',
    description: 'The user the link was issued to (the feed shows their clinics)',
    required: true,
  })
  @ApiQuery({ name: 'exp', description: 'Expiry, unix seconds', required: true })
  @ApiQuery({
    name: 'sig',
    description: 'hex HMAC-SHA256 of practitioner:<id>:user:<u>:<exp>',
    required: true,
  })
  @ApiProduces('text/calendar')
  @ApiResponse({ status: 200, description: 'text/calendar; charset=utf-8' })
  @ApiProblems(404)
  async feed(
    @Param('id') id: string,
    @Query('u') userId: unknown,
    @Query('exp') exp: unknown,
    @Query('sig') sig: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const body = await this.feeds.render(id, userId, exp, sig);
    void reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', 'inline; filename="tautline.ics"')
      // Patient initials and times: no shared cache may keep them.
      .header('cache-control', 'private, no-store');
    return body;
  }
}
