import type { Metadata } from "next";
import Link from "next/link";
import { listAudit, listAuditSchema, type ListAuditQuery } from "@/server/audit/list-audit";
import { auditEntityNames } from "@/server/backoffice/audit-names";
import { AppError } from "@/server/errors";
import { webDeps } from "@/server/deps";
import { auditChanges } from "@/app/lib/audit-diff";
import { formatDateTime } from "@/app/lib/format";
import { requireStaffPage } from "@/app/lib/guard";
import { TableScroll } from "@/app/components/table-scroll";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
// What the links carry: the filters, and the page size when the address chose one.
type View = { action?: string; entityId?: string; limit?: number };

function pageHref(view: View, cursor?: string) {
  const params = new URLSearchParams();
  if (view.action) params.set("action", view.action);
  if (view.entityId) params.set("entityId", view.entityId);
  if (view.limit) params.set("limit", String(view.limit));
  if (cursor) params.set("cursor", cursor);
  const query = params.toString();
  return query ? `/admin/audit?${query}` : "/admin/audit";
}

// The actions the back office records, offered as suggestions in the filter (any action can still be typed).
const KNOWN_ACTIONS = [
  "betting.suspend",
  "betting.resume",
  "match.create",
  "match.suspend",
  "match.resume",
  "match.reschedule",
  "match.max-liability",
  "match.close",
  "match.complete",
  "match.result",
  "match.result-correct",
  "selection.odds",
  "market.void",
  "user.stake-factor",
  "write-behind.quarantine-refund",
  "write-behind.quarantine-record",
];

const single = (value: string | string[] | undefined) => (typeof value === "string" && value !== "" ? value : undefined);

// The page takes GET /api/admin/audit's query.
export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requireStaffPage("/admin/audit");
  const params = await searchParams;
  const parsed = listAuditSchema.safeParse({
    action: single(params.action),
    entityId: single(params.entityId),
    limit: single(params.limit),
    cursor: single(params.cursor),
  });
  const query: ListAuditQuery = parsed.success ? parsed.data : listAuditSchema.parse({});
  let notice = parsed.success ? null : `${parsed.error.issues[0]?.message ?? "That filter is not valid."} Showing every entry.`;
  let page;
  try {
    page = await listAudit(webDeps(), query);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "VALIDATION_FAILED") throw error;
    notice = "That page link is not valid any more; showing the newest entries.";
    page = await listAudit(webDeps(), { ...query, cursor: undefined });
  }
  const names = await auditEntityNames(webDeps(), page.entries);
  const view: View = { action: query.action, entityId: query.entityId, limit: single(params.limit) ? query.limit : undefined };
  const isFiltered = Boolean(view.action || view.entityId);

  return (
    <>
      <h1 className="page-title">Audit log</h1>
      {/* Keyed by the filters: a link that changes them must refill the inputs, which keep their own state. */}
      <form
        key={`${view.action}|${view.entityId}`}
        className="filters"
        method="get"
        action="/admin/audit"
        role="search"
        aria-label="Filter the audit log"
      >
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <input id="audit-action" name="action" defaultValue={view.action} placeholder="match.close" list="audit-actions" />
          <datalist id="audit-actions">
            {KNOWN_ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="audit-entity">Entity id</label>
          <input id="audit-entity" name="entityId" defaultValue={view.entityId} />
        </div>
        {view.limit && <input type="hidden" name="limit" value={view.limit} />}
        <p>
          <button type="submit" className="button button-small">
            Filter
          </button>{" "}
          {isFiltered && <Link href="/admin/audit">Clear</Link>}
        </p>
      </form>
      {notice && (
        <p className="outcome outcome-error" role="alert">
          {notice}
        </p>
      )}
      {page.entries.length === 0 ? (
        <p className="muted">{isFiltered ? "No entries match." : "No back-office actions yet."}</p>
      ) : (
        <TableScroll label="Audit entries">
          <table className="table table-cards">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">What</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {page.entries.map((entry) => (
                <tr key={entry.id} data-testid="audit-entry" data-entry-id={entry.id}>
                  <td data-label="When">
                    <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                  </td>
                  <td data-label="Who">{entry.actor ?? "system"}</td>
                  <td data-label="Action">
                    <Link href={pageHref({ ...view, action: entry.action })}>{entry.action}</Link>
                  </td>
                  <td data-label="What">
                    {entry.entityType}{" "}
                    <Link href={pageHref({ ...view, entityId: entry.entityId })} title={`Show only ${entry.entityId}`}>
                      {names.get(entry.entityId) ?? <code>{entry.entityId.slice(0, 8)}</code>}
                    </Link>
                  </td>
                  <td data-label="Change">
                    <ul className="audit-diff" data-testid="audit-diff">
                      {auditChanges(entry.before, entry.after, names).map((c) => (
                        <li key={c.field}>
                          {c.field}: {c.before !== null && <del>{c.before}</del>}
                          {c.before !== null && c.after !== null && " → "}
                          {c.after !== null && <ins>{c.after}</ins>}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <nav className="pager" aria-label="Pages">
        {query.cursor && <Link href={pageHref(view)}>Newest</Link>}
        {page.nextCursor && <Link href={pageHref(view, page.nextCursor)}>Older</Link>}
      </nav>
    </>
  );
}
