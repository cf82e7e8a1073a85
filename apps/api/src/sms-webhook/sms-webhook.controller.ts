import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InboundSmsAnswer, InboundSmsWebhook, PatientMessages } from '@tautline/domain';
import { z } from 'zod';
import { CurrentUser, Public, RequirePermission, Scope } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { type AuthenticatedUser, type TenantScope } from '../tenancy/tenant-scope';
import { PatientMessagesService } from './patient-messages.service';
import { SmsReplyService } from './sms-reply.service';
import { SMS_SIGNATURE_TOLERANCE_SECONDS } from './sms-signature';
import { SmsSignatureGuard } from './sms-signature.guard';

/** The SMS provider's webhook: no user token; the HMAC signature over the raw body is the credential. */
@ApiTags('webhooks')
@Controller('webhooks/sms')
export class SmsWebhookController {
  constructor(private readonly replies: SmsReplyService) {}

  @Post()
  @Public()
  @HttpCode(200)
  @UseGuards(SmsSignatureGuard)
  @ApiOperation({
    summary:
      'A patient’s reply to a reminder text: C confirms, R asks to reschedule, STOP/START/HELP',
    description:
      'Matched to the last SMS sent to `from`. A redelivered `messageId` answers the stored outcome and changes nothing.',
  })
  @ApiHeader({
    name: 'X-Tautline-Signature',
    required: true,
    description: `t=<unix seconds>,v1=<hex HMAC-SHA256(SMS_WEBHOOK_SECRET, "<t>.<raw body>")>; at most ${SMS_SIGNATURE_TOLERANCE_SECONDS} s old`,
  })
  @ApiZodBody(InboundSmsWebhook)
  @ApiZodResponse(200, InboundSmsAnswer)
  @ApiProblems(400, 401, 404, 415)
  receive(
    @Body(new ZodPipe(InboundSmsWebhook)) body: z.infer<typeof InboundSmsWebhook>,
  ): Promise<z.infer<typeof InboundSmsAnswer>> {
    return this.replies.receive(body);
  }
}

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients/:id/messages')
export class PatientMessagesController {
  constructor(private readonly messages: PatientMessagesService) {}

  @Get()
  @RequirePermission('patient.read')
  @ApiOperation({
    summary:
      'A patient’s SMS opt-outs and replies to reminders, newest first (at most 100; audited)',
  })
  @ApiZodResponse(200, PatientMessages)
  @ApiProblems(400, 401, 403, 404)
  list(
    @Scope() scope: TenantScope,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ZodPipe(z.uuid())) id: string,
  ): Promise<z.infer<typeof PatientMessages>> {
    return this.messages.list(scope, user, id);
  }
}
