import { LRUCache } from "lru-cache";
import type { MatchDto } from "./match-root";
import type { MatchMessage } from "./root-messages";
import { isListedStatus } from "./listed-statuses.shared";

export const invalidationModes = ["invalidate", "invalidate-if-older", "push", "push-if-newer"] as const;
export type InvalidationMode = (typeof invalidationModes)[number];

export type CatalogLoader = {
  loadMatch(id: string): Promise<MatchDto | null>;
  loadCatalog(): Promise<MatchDto[]>;
  loadVersions(ids: string[]): Promise<Map<string, number>>;
};

export type CacheEvent = "hit" | "miss";
export type CacheOptions = {
  mode: InvalidationMode;
  ttlMs: number;
  maxRoots?: number;
  onRead?: (event: CacheEvent) => void;
  onNotification?: (action: string) => void;
};

const INDEX = "catalog";
type Kind = "root" | "index";

/**
 * The per-instance cache of catalog roots (a match with its markets and selections) plus the catalog's list of
 * match ids. A miss loads from PostgreSQL once however many requests wait for it (single flight). Every
 * notification bumps the key's epoch, and a load stores its result only if the epoch did not move meanwhile, so
 * a slow read can never overwrite a newer change. Entries expire after the TTL in case a notification was lost.
 */
export class CatalogCache {
  private readonly roots: LRUCache<string, MatchDto>;
  private readonly index: LRUCache<string, string[]>;
  private readonly flights = new Map<string, Promise<unknown>>();
  private readonly epochs = new Map<string, number>();
  // Any store or drop moves the generation; the serialised catalog is reused only within one generation and TTL.
  private generation = 0;
  private catalogJson: { json: string; generation: number; expiresAt: number } | undefined;

  constructor(
    private readonly loader: CatalogLoader,
    readonly options: CacheOptions,
  ) {
    this.roots = new LRUCache<string, MatchDto>({ max: options.maxRoots ?? 10_000, ttl: options.ttlMs });
    this.index = new LRUCache<string, string[]>({ max: 1, ttl: options.ttlMs });
  }

  getMatch(id: string): Promise<MatchDto | null> {
    return this.read(this.roots, "root", id, async () => (await this.loader.loadMatch(id)) ?? undefined).then((m) => m ?? null);
  }

  async listCatalog(): Promise<MatchDto[]> {
    const ids =
      (await this.read(this.index, "index", INDEX, async () => {
        const matches = await this.loader.loadCatalog();
        // Warm the roots with what the listing read, unless a notification already brought something newer.
        for (const match of matches) {
          const cached = this.roots.peek(match.id);
          if (!cached || cached.version < match.version)
            this.store(this.roots, `root:${match.id}`, match.id, match, this.epochOf(`root:${match.id}`));
        }
        return matches.map((m) => m.id);
      })) ?? [];
    const matches = await Promise.all(ids.map((id) => this.getMatch(id)));
    return matches.filter((m): m is MatchDto => m !== null && isListedStatus(m.status));
  }

  /** The catalog as the JSON body of GET /api/catalog, serialised once per change rather than once per request. */
  async catalogBody(): Promise<string> {
    const cached = this.catalogJson;
    if (cached && cached.generation === this.generation && cached.expiresAt > Date.now()) {
      this.options.onRead?.("hit");
      return cached.json;
    }
    const generation = this.generation;
    const json = JSON.stringify({ matches: await this.listCatalog() });
    if (generation === this.generation) this.catalogJson = { json, generation, expiresAt: Date.now() + this.options.ttlMs };
    return json;
  }

  private epochOf(key: string): number {
    return this.epochs.get(key) ?? 0;
  }

  private store<V extends object>(cache: LRUCache<string, V>, slot: string, key: string, value: V, epoch: number) {
    if (this.epochOf(slot) !== epoch) return;
    cache.set(key, value);
    this.generation++;
  }

  private read<V extends object>(
    cache: LRUCache<string, V>,
    kind: Kind,
    key: string,
    load: () => Promise<V | undefined>,
  ): Promise<V | undefined> {
    const hit = cache.get(key);
    this.options.onRead?.(hit === undefined ? "miss" : "hit");
    if (hit !== undefined) return Promise.resolve(hit);
    const slot = `${kind}:${key}`;
    let flight = this.flights.get(slot) as Promise<V | undefined> | undefined;
    if (!flight) {
      const epoch = this.epochOf(slot);
      flight = load()
        .then((value) => {
          if (value !== undefined) this.store(cache, slot, key, value, epoch);
          return value;
        })
        .finally(() => {
          if (this.flights.get(slot) === flight) this.flights.delete(slot);
        });
      this.flights.set(slot, flight);
    }
    return flight;
  }

  /** Forgets a key and any load in flight for it: the next read starts a fresh load. */
  private drop<V extends object>(cache: LRUCache<string, V>, kind: Kind, key: string) {
    const slot = `${kind}:${key}`;
    this.epochs.set(slot, this.epochOf(slot) + 1);
    this.generation++;
    cache.delete(key);
    this.flights.delete(slot);
  }

  /** Applies a change notification according to the configured mode. */
  apply(message: MatchMessage): void {
    const cached = this.roots.peek(message.matchId);
    const isOlder = !cached || cached.version < message.version;
    let action: string;
    switch (this.options.mode) {
      case "invalidate":
        this.drop(this.roots, "root", message.matchId);
        action = "invalidated";
        break;
      case "invalidate-if-older":
        if (isOlder) this.drop(this.roots, "root", message.matchId);
        action = isOlder ? "invalidated" : "ignored";
        break;
      case "push":
        this.drop(this.roots, "root", message.matchId);
        this.roots.set(message.matchId, message.match);
        action = "pushed";
        break;
      case "push-if-newer":
        if (isOlder) {
          this.drop(this.roots, "root", message.matchId);
          this.roots.set(message.matchId, message.match);
        }
        action = isOlder ? "pushed" : "ignored";
        break;
    }
    // The list changes only when a match enters or leaves the catalog (created, closed, ...).
    const ids = this.index.peek(INDEX);
    if (!ids || ids.includes(message.matchId) !== message.listed) this.drop(this.index, "index", INDEX);
    this.options.onNotification?.(action);
  }

  /** After missing notifications (a pub/sub reconnect): drop every root whose version moved, and the list. */
  async revalidate(): Promise<number> {
    this.drop(this.index, "index", INDEX);
    const cached = [...this.roots.entries()];
    if (cached.length === 0) return 0;
    const versions = await this.loader.loadVersions(cached.map(([id]) => id));
    let dropped = 0;
    for (const [id, match] of cached) {
      if (versions.get(id) !== match.version && this.roots.peek(id) === match) {
        this.drop(this.roots, "root", id);
        dropped++;
      }
    }
    return dropped;
  }
}
