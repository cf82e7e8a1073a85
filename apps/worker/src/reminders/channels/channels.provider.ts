import { type Env } from '@tautline/config';
import { type DataSource } from 'typeorm';
import { DATA_SOURCE, ENV } from '../../infrastructure/infrastructure.module';
import { createMessageChannels } from './channels.factory';

export const MESSAGE_CHANNELS = Symbol('MESSAGE_CHANNELS');
export type MessageChannels = ReturnType<typeof createMessageChannels>;

export const messageChannelsProvider = {
  provide: MESSAGE_CHANNELS,
  inject: [ENV, DATA_SOURCE],
  useFactory: (env: Env, db: DataSource) => createMessageChannels(env, db),
};
