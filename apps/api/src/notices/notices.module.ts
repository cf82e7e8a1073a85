import { Module } from '@nestjs/common';
import { NoticesController } from './notices.controller';
import { noticesQueueProvider } from './notices.queue';
import { NoticesService } from './notices.service';

@Module({
  controllers: [NoticesController],
  providers: [NoticesService, noticesQueueProvider],
})
export class NoticesModule {}
