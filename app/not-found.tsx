import Link from "next/link";

export default function NotFound() {
  return (
    <section className="card notice" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Not found</h1>
      <p>There is nothing at this address.</p>
      <Link href="/" className="button">
        Back to matches
      </Link>
    </section>
  );
}
