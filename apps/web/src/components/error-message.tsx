import { errorMessage } from '@/lib/format';

export function ErrorMessage({ title = 'Something went wrong', error, onRetry }: { title?: string; error: unknown; onRetry?: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-red-900">
      <p className="font-semibold">{title}</p>
      <p className="mt-1 break-words">{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" onClick={onRetry} className="mt-3 rounded border border-red-400 bg-white px-3 py-1 text-sm font-medium hover:bg-red-100">
          Try again
        </button>
      )}
    </div>
  );
}
