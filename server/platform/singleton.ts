/**
 * One instance per process, created on first use (never at build time) and kept on globalThis, so Next.js dev
 * reloads of a module reuse it instead of leaking a second pool, connection or registry.
 */
const store = globalThis as unknown as { bookmakerSingletons?: Map<string, unknown> };

export function singleton<T>(name: string, create: () => T): T {
  store.bookmakerSingletons ??= new Map();
  if (!store.bookmakerSingletons.has(name)) store.bookmakerSingletons.set(name, create());
  return store.bookmakerSingletons.get(name) as T;
}

/** Forgets an instance (after closing it), so the next use creates a new one. */
export function forgetSingleton(name: string): void {
  store.bookmakerSingletons?.delete(name);
}

/** The instance if one was created, without creating it. */
export function existingSingleton<T>(name: string): T | undefined {
  return store.bookmakerSingletons?.get(name) as T | undefined;
}
