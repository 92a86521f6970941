import { EventEmitter } from 'node:events';
import type { LiveEvent } from './event-types.js';

/**
 * Where live events go out. Hold events (not in Postgres) are published here directly; outbox events
 * reach it through the relay. The realtime layer plugs Socket.IO in; tests and in-process listeners
 * subscribe with `onEvent`.
 */
export interface Publisher {
  publish(event: LiveEvent): void;
  onEvent(listener: (event: LiveEvent) => void): () => void;
}

export function createPublisher(): Publisher {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(event) {
      emitter.emit('event', event);
    },
    onEvent(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
  };
}
