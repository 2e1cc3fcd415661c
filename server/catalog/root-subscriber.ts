import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import type { Logger } from "@/server/platform/logger";
import type { CatalogCache } from "./catalog-cache";
import { bettingMessageSchema, matchMessageSchema, type BettingMessage, type MatchMessage } from "./root-messages";
import { rootChannels } from "@/server/platform/redis-keys";

// Enough to go round a Cluster's nodes; a single Redis retries within one connection.
const START_ATTEMPTS = 6;

type Events = { match: [MatchMessage]; betting: [BettingMessage] };

/**
 * A web instance's subscription to root changes. It applies each one to the cache, then re-emits it for the
 * browsers' event streams. Messages published while the connection was down are lost, so after every reconnect
 * the cache revalidates all its entries against PostgreSQL. A connection that gives up (on a Cluster: its node is
 * gone) is replaced by the next one `connect` makes, which counts as a reconnect too.
 */
export class RootSubscriber extends EventEmitter<Events> {
  private hasConnected = false;
  private isStopped = false;
  private connection: Redis | undefined;

  constructor(
    private readonly connect: (attempt: number) => Redis,
    private readonly cache: CatalogCache,
    private readonly log: Logger,
  ) {
    super();
    this.setMaxListeners(0); // one listener per open browser stream
  }

  /** Subscribed on the first connection that answers (on a Cluster, the first node may be down). */
  async start(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const connection = this.open(attempt);
      try {
        await connection.subscribe(...Object.values(rootChannels));
        this.hasConnected = true;
        return;
      } catch (error) {
        connection.disconnect();
        if (attempt + 1 >= START_ATTEMPTS) throw error;
      }
    }
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    this.connection?.disconnect();
  }

  private open(attempt: number): Redis {
    const connection = this.connect(attempt);
    this.connection = connection;
    connection.on("message", (channel, text) => this.onMessage(channel, text));
    connection.on("error", (error) => this.log.warn({ err: error }, "catalog subscription error"));
    connection.on("ready", () => {
      if (!this.hasConnected) return;
      void connection
        .subscribe(...Object.values(rootChannels))
        .then(() => this.cache.revalidate())
        .then((dropped) => this.log.info({ dropped }, "catalog subscription reconnected; cache revalidated"))
        .catch((error: unknown) => this.log.error({ err: error }, "catalog revalidation failed"));
    });
    connection.once("end", () => {
      if (!this.isStopped && this.hasConnected) this.open(attempt + 1);
    });
    return connection;
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
