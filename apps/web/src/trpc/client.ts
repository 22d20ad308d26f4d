'use client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
// Types only: no server code reaches the browser bundle.
import type { AppRouter } from '@sluice/api';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
