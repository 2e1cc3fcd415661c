import Link from "next/link";

// Staff accounts have no wallet and cannot bet: a plain explanation instead of an empty page.
export function BettorsOnly({ what }: { what: string }) {
  return (
    <section className="card notice" aria-labelledby="bettors-only-title">
      <h1 id="bettors-only-title">For bettors only</h1>
      <p>{what} belongs to bettor accounts. Staff accounts do not place bets or hold a wallet.</p>
      <Link href="/admin" className="button">
        Go to the back office
      </Link>
    </section>
  );
}
