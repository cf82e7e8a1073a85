import { Module } from '@nestjs/common';
import { NoticeProcessor } from './notice.processor';

@Module({ providers: [NoticeProcessor] })
export class NoticesModule {}
