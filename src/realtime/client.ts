import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { LiveEvent } from '../events/event-types.js';
import type { ClientToServerEvents, ResyncAck, ServerToClientEvents, SubscribeAck } from './socket-types.js';

export type { EventData, EventType, LiveEvent } from '../events/event-types.js';
export type { Ack, Refusal, ResyncAck, SubscribeAck } from './socket-types.js';

/**
 * A typed client for the hub's live events, for browsers and Node alike. It keeps the last event id per
 * room; after a reconnect it subscribes again and asks the server to `resync` what was missed, and it
 * drops duplicates by id (the relay delivers at least once). When the gap is too old to replay, `onReset`
 * tells the caller to refetch (e.g. GET the slot board again).
 */
export interface HubClientOptions {
  url: string;
  /** Called at every (re)connect, so a refreshed token is picked up. */
  token?: () => string | undefined;
  /** A waiting-room screen connects with its display token instead of a person's token. */
  displayToken?: string;
  /** Every event once, in order per room; `switch (event.type)` narrows `event.data` to that type's. */
  onEvent: (event: LiveEvent) => void;
  onReset?: (room: string) => void;
  /** How many recent ids per room are remembered for de-duplication. */
  dedupeWindow?: number;
  socket?: Partial<ManagerOptions & SocketOptions>;
}

export class HubClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly rooms = new Set<string>();
  private readonly lastIds = new Map<string, number>();
  private readonly recent = new Map<string, Set<number>>();
  private connectedBefore = false;
  private serverClosing = false;

  constructor(private readonly options: HubClientOptions) {
    this.socket = io(options.url, {
      transports: ['websocket'],
      ...options.socket,
      auth: (cb) =>
        cb(
          options.displayToken
            ? { displayToken: options.displayToken }
            : options.token?.()
              ? { token: options.token() }
              : {},
        ),
    });
    this.socket.on('event', (event) => this.deliver(event));
    this.socket.on('connect', () => {
      if (this.connectedBefore) void this.recover();
      this.connectedBefore = true;
    });
    // A server that shuts down disconnects everyone on purpose, and socket.io does not retry after that
    // on its own: come back (to whichever process answers next) and resync, as `server_closing` asks.
    this.socket.on('server_closing', () => {
      this.serverClosing = true;
    });
    this.socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' && this.serverClosing) this.socket.connect();
      this.serverClosing = false;
    });
  }

  /** Joins a room; the first time, live delivery starts after the room's current last id. */
  async subscribe(room: string): Promise<SubscribeAck> {
    const ack = await this.socket.timeout(10_000).emitWithAck('subscribe', { room });
    if (ack.ok) {
      this.rooms.add(room);
      if (!this.lastIds.has(room)) this.lastIds.set(room, ack.lastEventId);
    }
    return ack;
  }

  async unsubscribe(room: string): Promise<void> {
    this.rooms.delete(room);
    this.lastIds.delete(room);
    this.recent.delete(room);
    await this.socket.timeout(10_000).emitWithAck('unsubscribe', { room });
  }

  /** The highest event id seen in a room (what a resync continues from). */
  lastEventId(room: string): number | undefined {
    return this.lastIds.get(room);
  }

  close(): void {
    this.socket.disconnect();
  }

  /** After a reconnect: rejoin every room, then replay what was missed while away. */
  private async recover(): Promise<void> {
    for (const room of this.rooms) {
      const sub = await this.socket.timeout(10_000).emitWithAck('subscribe', { room });
      if (!sub.ok) continue;
      const afterId = this.lastIds.get(room) ?? sub.lastEventId;
      const ack: ResyncAck = await this.socket.timeout(10_000).emitWithAck('resync', { room, afterId });
      if (!ack.ok) continue;
      if ('reset' in ack) {
        this.lastIds.set(room, sub.lastEventId);
        this.recent.delete(room);
        this.options.onReset?.(room);
      } else {
        for (const event of ack.events) this.deliver(event);
      }
    }
  }

  private deliver(event: LiveEvent): void {
    if (event.id !== null) {
      const seen = this.recent.get(event.room) ?? new Set<number>();
      if (seen.has(event.id)) return;
      seen.add(event.id);
      const window = this.options.dedupeWindow ?? 1000;
      if (seen.size > window) seen.delete(seen.values().next().value as number);
      this.recent.set(event.room, seen);
      this.lastIds.set(event.room, Math.max(this.lastIds.get(event.room) ?? 0, event.id));
    }
    this.options.onEvent(event);
  }
}
