import {
  type CanActivate,
  type ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  type RawBodyRequest,
} from '@nestjs/common';
import { type Env } from '@tautline/config';
import { type FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { Problem } from '../common/problem';
import { ENV } from '../config/config.module';
import {
  SMS_SIGNATURE_HEADER,
  SMS_SIGNATURE_TOLERANCE_SECONDS,
  type SmsSignatureFailure,
  verifySmsWebhook,
} from './sms-signature';

const DETAIL: Record<SmsSignatureFailure, string> = {
  missing: 'the X-Tautline-Signature header is missing',
  malformed:
    'the X-Tautline-Signature header is not of the form t=<unix seconds>,v1=<hex HMAC-SHA256>',
  stale: `the signature timestamp is more than ${SMS_SIGNATURE_TOLERANCE_SECONDS} s from our clock`,
  mismatch: 'the signature does not match the request body',
};

/**
 * Runs before the body is validated or read for meaning: only requests signed with
 * SMS_WEBHOOK_SECRET over the exact bytes received get further (Nest keeps them on `req.rawBody`
 * because the app is created with `rawBody: true`).
 */
@Injectable()
export class SmsSignatureGuard implements CanActivate {
  constructor(
    @Inject(ENV) private readonly env: Env,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('sms-webhook');
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<RawBodyRequest<FastifyRequest>>();
    const check = verifySmsWebhook(
      this.env.SMS_WEBHOOK_SECRET,
      req.headers[SMS_SIGNATURE_HEADER],
      req.rawBody,
      new Date(),
    );
    if (check.ok) return true;
    this.logger.warn(
      { event: 'sms.webhook_refused', reason: check.reason },
      'unsigned or badly signed SMS webhook',
    );
    throw new Problem(HttpStatus.UNAUTHORIZED, 'Unauthorized', DETAIL[check.reason]);
  }
}
