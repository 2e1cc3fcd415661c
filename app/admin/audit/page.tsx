import type { Metadata } from "next";
import { listAudit } from "@/server/audit/list-audit";
import { getDb } from "@/server/platform/db";
import { requireStaffPage } from "@/app/lib/guard";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  await requireStaffPage("/admin/audit");
  const entries = await listAudit(getDb());
  return (
    <>
      <h1 className="page-title">Audit log</h1>
      {entries.length === 0 ? (
        <p className="muted">No back-office actions yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Entity</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{entry.at.replace("T", " ").slice(0, 19)}</td>
                  <td>{entry.actor ?? "system"}</td>
                  <td>{entry.action}</td>
                  <td>
                    {entry.entityType} <code>{entry.entityId.slice(0, 8)}</code>
                  </td>
                  <td>
                    <code>{JSON.stringify(entry.before)}</code>
                  </td>
                  <td>
                    <code>{JSON.stringify(entry.after)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
