// @sluice/test-service: the whole service for tests, built from the API's test server and a worker.
// It lives apart from @sluice/api so that the API never depends on the worker, and apart from
// @sluice/testkit, which imports nothing from the product.
export { startTestService, startTestWorker, type TestService, type TestServiceOptions } from './test-service.js';
