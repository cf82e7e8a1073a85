import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PostNoticeRequest } from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { NoticesService } from './notices.service';

const Accepted = z.object({ id: z.string() });

@ApiTags('notices')
@ApiBearerAuth()
@Controller('clinics/:clinicId/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Post()
  @HttpCode(202)
  @RequirePermission('notice.post')
  @RateLimit('notices')
  @ApiOperation({
    summary: 'Post a notice to everyone watching the clinic live (delivered by the worker)',
  })
  @ApiZodBody(PostNoticeRequest)
  @ApiZodResponse(202, Accepted)
  @ApiProblems(400, 401, 403, 404)
  post(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('clinicId', new ZodPipe(z.uuid())) clinicId: string,
    @Body(new ZodPipe(PostNoticeRequest)) body: z.infer<typeof PostNoticeRequest>,
  ): Promise<z.infer<typeof Accepted>> {
    scope.requireClinic(clinicId);
    return this.notices.post(scope.organisationId, clinicId, body.message, user.name);
  }
}
