// The browser tests drive the production build. Build it first when there is none, or when a
// source file is newer than it (a full `next build` takes about half a minute).
import { execSync } from 'node:child_process';
import process from 'node:process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildId = join(root, '.next', 'BUILD_ID');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

let builtAt = 0;
try {
  builtAt = statSync(buildId).mtimeMs;
} catch {
  // not built yet
}
const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'next.config.ts')), newest(join(root, 'package.json')));
if (builtAt > sources) {
  process.stdout.write('@sluice/web: the build is up to date\n');
} else {
  const started = Date.now();
  process.stdout.write(`@sluice/web: ${builtAt ? 'sources changed since the last build' : 'no build yet'}; running next build\n`);
  execSync('npm run build', { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  process.stdout.write(`@sluice/web: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
