import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { LiveSessionsModule } from '../live-sessions/live-sessions.module';
import { LiveAccess } from './live-access.service';
import { LiveGateway } from './live.gateway';

@Module({ imports: [AuthModule, LiveSessionsModule], providers: [LiveGateway, LiveAccess] })
export class LiveModule {}
