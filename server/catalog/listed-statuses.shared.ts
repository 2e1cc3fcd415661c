// Catalog facts shared with the browser (the only server/ module kind client components may import).

/** Statuses a bettor sees in the catalog; a change in or out of them changes the catalog's list of matches. */
export const LISTED_STATUSES = ["SCHEDULED", "OPEN", "SUSPENDED"] as const;

export function isListedStatus(status: string): boolean {
  return (LISTED_STATUSES as readonly string[]).includes(status);
}
