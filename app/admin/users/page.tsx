import type { Metadata } from "next";
import { webDeps } from "@/server/deps";
import { findUsers, findUsersSchema } from "@/server/risk/stake-factors";
import { StakeFactorForm } from "@/app/components/stake-factor-form";
import { TableScroll } from "@/app/components/table-scroll";
import { formatDateTime } from "@/app/lib/format";
import { requireStaffPage } from "@/app/lib/guard";

export const metadata: Metadata = { title: "Bettors" };

// The page takes GET /api/admin/users's query.
export default async function BettorsPage({ searchParams }: { searchParams: Promise<{ email?: string | string[] }> }) {
  await requireStaffPage("/admin/users");
  const { email } = await searchParams;
  const query = findUsersSchema.safeParse({ email: typeof email === "string" ? email : "" });
  const users = query.success ? await findUsers(webDeps(), query.data) : null;
  return (
    <>
      <h1 className="page-title">Bettors</h1>
      <form className="card inline-form" role="search" action="/admin/users">
        <label htmlFor="find-email">Email starts with</label>
        <input id="find-email" name="email" type="search" defaultValue={typeof email === "string" ? email : ""} required />
        <button type="submit" className="button button-small">
          Find
        </button>
      </form>
      {users && users.length === 0 && <p>No account matches.</p>}
      {users && users.length > 0 && (
        <TableScroll label="Bettors">
          <table className="table table-cards">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Excluded until</th>
                <th scope="col">Maximum stake</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} data-testid="admin-user" data-user-id={user.id}>
                  <td>{user.email}</td>
                  <td data-label="Role">{user.role}</td>
                  <td data-label="Excluded until">{user.excludedUntil ? formatDateTime(user.excludedUntil) : "not excluded"}</td>
                  <td data-label="Maximum stake">
                    <StakeFactorForm user={user} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
