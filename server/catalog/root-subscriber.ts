import { EventEmitter } from "node:events";
import type { RedisClient } from "@/server/platform/redis";
import type { Logger } from "@/server/platform/logger";
import type { CatalogCache } from "./catalog-cache";
import { bettingMessageSchema, matchMessageSchema, type BettingMessage, type MatchMessage } from "./root-messages";
import { rootChannels } from "@/server/platform/redis-keys";

type Events = { match: [MatchMessage]; betting: [BettingMessage] };

/**
 * A web instance's subscription to root changes. It applies each one to the cache, then re-emits it for the
 * browsers' event streams. Messages published while the connection was down are lost, so after every reconnect
 * the cache revalidates all its entries against PostgreSQL.
 */
export class RootSubscriber extends EventEmitter<Events> {
  private hasConnected = false;

  constructor(
    private readonly connection: RedisClient,
    private readonly cache: CatalogCache,
    private readonly log: Logger,
  ) {
    super();
    this.setMaxListeners(0); // one listener per open browser stream
  }

  async start(): Promise<void> {
    this.connection.on("message", (channel, text) => this.onMessage(channel, text));
    this.connection.on("error", (error) => this.log.warn({ err: error }, "catalog subscription error"));
    this.connection.on("ready", () => {
      if (!this.hasConnected) return;
      void this.connection
        .subscribe(...Object.values(rootChannels))
        .then(() => this.cache.revalidate())
        .then((dropped) => this.log.info({ dropped }, "catalog subscription reconnected; cache revalidated"))
        .catch((error: unknown) => this.log.error({ err: error }, "catalog revalidation failed"));
    });
    await this.connection.subscribe(...Object.values(rootChannels));
    this.hasConnected = true;
  }

  async stop(): Promise<void> {
    this.connection.disconnect();
  }

  private onMessage(channel: string, text: string) {
    try {
      if (channel === rootChannels.match) {
        const message = matchMessageSchema.parse(JSON.parse(text));
        this.cache.apply(message);
        this.emit("match", message);
      } else if (channel === rootChannels.betting) {
        this.emit("betting", bettingMessageSchema.parse(JSON.parse(text)));
      }
    } catch (error) {
      this.log.error({ err: error, channel }, "ignored a malformed root message");
    }
  }
}
