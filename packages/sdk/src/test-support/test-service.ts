import { startTestApi } from '@sluice/api/test-support';

/** A real Sluice service for the SDK to talk to over HTTP, with one in-process worker. */
export const startTestService = () => startTestApi({ worker: true });
