import { Body, Controller, Headers, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TelemetryBatch } from '@tautline/domain';
import { type FastifyReply } from 'fastify';
import { z } from 'zod';
import { Public } from '../auth/auth.decorators';
import { ApiProblems, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { Problem } from '../common/problem';
import { deviceKeyFrom } from '../devices/device-key';
import { DevicesService } from '../devices/devices.service';
import { type Accepted, TelemetryService } from './telemetry.service';

const AcceptedBody = z.object({ accepted: z.number().int(), sessionId: z.uuid() });
const unauthorised = () =>
  new Problem(
    HttpStatus.UNAUTHORIZED,
    'Unauthorized',
    'a valid device key is required (Authorization: Device <key>)',
  );

@ApiTags('telemetry')
@Controller('telemetry')
export class TelemetryController {
  constructor(
    private readonly devices: DevicesService,
    private readonly telemetry: TelemetryService,
  ) {}

  @Post()
  @Public()
  @HttpCode(202)
  @ApiHeader({ name: 'Authorization', required: true, description: '`Device <key>`' })
  @ApiOperation({
    summary: 'A stimulator streams a batch of samples of its running session',
    description:
      'The whole batch is refused (400, every problem listed) if any sample is invalid; 429 + Retry-After under overload.',
  })
  @ApiZodBody(TelemetryBatch)
  @ApiZodResponse(202, AcceptedBody)
  @ApiProblems(400, 401, 409, 429)
  async ingest(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Accepted> {
    const key = deviceKeyFrom(authorization);
    const device = key ? await this.devices.authenticate(key) : null;
    if (!device) throw unauthorised();
    try {
      return await this.telemetry.ingest(device, body);
    } catch (error) {
      if (error instanceof Problem && error.getStatus() === 429)
        void reply.header('retry-after', '1');
      throw error;
    }
  }
}
