import { router } from '../../trpc.js';
import { createComparisonRoute } from './create-comparison.js';
import { describeComparisonRoute } from './describe-comparison.js';
import { listComparisonsRoute } from './list-comparisons.js';

export const comparisonsRouter = router({
  create: createComparisonRoute,
  describe: describeComparisonRoute,
  list: listComparisonsRoute,
});
