"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

export function LogoutButton() {
  const router = useRouter();
  const [isPending, setPending] = useState(false);
  async function logOut() {
    setPending(true);
    await fetch("/api/auth/logout", { method: "POST" });
    router.push("/");
    router.refresh();
  }
  return (
    <button type="button" className="button button-quiet" onClick={logOut} disabled={isPending}>
      Sign out
    </button>
  );
}
