import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { NavBar } from '@/components/nav-bar';
import { SignInGate } from '@/components/sign-in-gate';
import { TrpcQueryProvider } from '@/trpc/provider';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Sluice', template: '%s · Sluice' },
  description: 'Batch inference over object storage: jobs, progress, logs and metrics.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
          Skip to content
        </a>
        {/* The nav bar shows who is signed in, so it lives inside the session's provider too. */}
        <TrpcQueryProvider>
          <NavBar />
          <main id="main" className="mx-auto w-full max-w-7xl px-4 py-6 sm:px-6">
            <SignInGate>{children}</SignInGate>
          </main>
        </TrpcQueryProvider>
      </body>
    </html>
  );
}
