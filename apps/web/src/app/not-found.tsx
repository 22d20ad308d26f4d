import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-700">There is nothing at this address.</p>
      <Link href="/jobs" className="mt-4 inline-block font-medium text-blue-800 underline">
        Go to jobs
      </Link>
    </div>
  );
}
