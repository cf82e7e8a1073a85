import { Emitter } from '@socket.io/redis-emitter';
import { LIVE_NAMESPACE, type ServerToClientEvents } from '@tautline/domain';
import type { Redis } from 'ioredis';
import { redisKeys } from './redis-connection';

export type LiveEmitter = Emitter<ServerToClientEvents>;

/**
 * Emits typed events to the `/live` namespace from any process (the worker) through Redis;
 * the API's socket.io Redis adapter, configured with the same key, delivers them to browsers.
 */
export function createLiveEmitter(redis: Redis, prefix: string): LiveEmitter {
  return new Emitter<ServerToClientEvents>(redis, { key: redisKeys(prefix).socketIo }).of(
    LIVE_NAMESPACE,
  );
}
