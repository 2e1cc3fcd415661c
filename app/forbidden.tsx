import Link from "next/link";

export default function Forbidden() {
  return (
    <section className="card notice" aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">Access denied</h1>
      <p>This area is for back-office staff only. Your account does not have access.</p>
      <Link href="/" className="button">
        Back to matches
      </Link>
    </section>
  );
}
