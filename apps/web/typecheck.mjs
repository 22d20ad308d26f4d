// Type-checks the dashboard's own files. The workspace packages it imports export TypeScript
// sources, so their files join this program; but Next's global types make
// `process.env.NODE_ENV` a required property, which sources written for plain Node (an env object
// built from `{}`) do not satisfy. Those packages are checked by their own `typecheck` under their
// own settings; here, only diagnostics in apps/web fail the check.
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import ts from 'typescript';

const root = dirname(fileURLToPath(import.meta.url));
const configPath = resolve(root, 'tsconfig.json');
const config = ts.getParsedCommandLineOfConfigFile(configPath, { noEmit: true, incremental: false }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
const all = ts.getPreEmitDiagnostics(program);
const ours = all.filter((d) => !d.file || !relative(root, d.file.fileName).startsWith('..'));
const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
if (ours.length) process.stdout.write(ts.formatDiagnosticsWithColorAndContext(ours, host));
const elsewhere = all.length - ours.length;
if (elsewhere) process.stdout.write(`(${elsewhere} diagnostics in workspace packages left to their own typecheck: see the note in apps/web/typecheck.mjs)\n`);
process.exit(ours.length ? 1 : 0);
