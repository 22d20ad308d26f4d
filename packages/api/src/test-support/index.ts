// @sluice/api/test-support, for test code only: the API server over a fresh database, and
// clients of it (plain, with a token, signed in as a browser). @sluice/test-service builds the
// whole service (with a worker) on it; the API itself never starts a worker.
export { apiClient, failureOf, startTestApi, type ApiClient, type TestApi, type TestApiOptions } from './api-harness.js';
export { clientWith, makeUser, postJson, requiredAuthSettings, sessionClient, signIn, startRequiredApi, tokenClient, type RequiredAuthOptions, type SignedInBrowser, type TestUser } from '../auth/test-support/auth-harness.js';
