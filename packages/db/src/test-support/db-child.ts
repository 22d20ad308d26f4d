// A separate Sluice process for the tests that need one (crash recovery, concurrent start-up):
//   node --import tsx --conditions=@sluice/source db-child.ts start <home>     start the embedded server, print it, wait for stdin to close
//   node --import tsx --conditions=@sluice/source db-child.ts resolve <home>   resolveDatabaseUrl with no DATABASE_URL, likewise
//   node --import tsx --conditions=@sluice/source db-child.ts migrate <url>    apply the migrations, print, exit
// It prints one JSON line on stdout once ready.
import postgres from 'postgres';
import { resolveDatabaseUrl } from '../database-url.js';
import { startEmbeddedPostgres } from '../embedded.js';
import { migrateDatabase } from '../migrate.js';

const [mode, target] = process.argv.slice(2);
if (!mode || !target) throw new Error('usage: db-child.ts start|resolve|migrate <home|url>');

async function serverPid(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<Array<{ pid: number }>>`select split_part(pg_read_file('postmaster.pid'), E'\n', 1)::int as pid`;
    return row!.pid;
  } finally {
    await sql.end();
  }
}

function untilStdinCloses(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.on('data', () => {});
    process.stdin.on('end', resolve);
    process.stdin.on('close', resolve);
  });
}

if (mode === 'migrate') {
  await migrateDatabase(target);
  console.log(JSON.stringify({ migrated: true }));
} else {
  const started =
    mode === 'start'
      ? await startEmbeddedPostgres({ home: target }).then((s) => ({ url: s.url, owner: s.owner, stop: s.stop }))
      : await resolveDatabaseUrl({ env: {}, home: target }).then((r) => ({ url: r.url, owner: undefined, stop: r.stop }));
  console.log(JSON.stringify({ url: started.url, owner: started.owner, serverPid: await serverPid(started.url), pid: process.pid }));
  await untilStdinCloses();
  await started.stop();
}
