'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { MODEL_KINDS, type TCreateModel } from '@sluice/contracts';
import { issuesByField } from '@/lib/field-issues';
import { errorMessage } from '@/lib/format';
import { useTRPC } from '@/trpc/client';
import { FormField } from './form-field';

type Kind = (typeof MODEL_KINDS)[number];
interface EnvRow {
  key: string;
  value: string;
  /** Stored sealed, shown masked, given only to the model's process (secretEnv). */
  secret: boolean;
}

const KIND_HELP: Record<Kind, string> = {
  http: 'A server you already run that speaks the SageMaker container protocol (/ping, /invocations).',
  command: 'A command the worker starts on each host; it listens on $PORT.',
  builtin: 'A handler run inside the worker, with no HTTP hop.',
};

const input = 'mt-1 block w-full rounded border border-slate-400 bg-white px-2 py-1.5 text-sm text-slate-900 focus:border-blue-700 focus:outline-none focus:ring-2 focus:ring-blue-700/30 aria-[invalid=true]:border-red-700';

/** Registers a model through models.create; the server's per-field issues show beside the fields. */
export function ModelForm({ onCreated }: { onCreated?: (name: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('http');
  const [url, setUrl] = useState('');
  const [command, setCommand] = useState('');
  const [port, setPort] = useState('');
  const [handler, setHandler] = useState('');
  const [artifactUri, setArtifactUri] = useState('');
  const [description, setDescription] = useState('');
  const [env, setEnv] = useState<EnvRow[]>([]);
  const create = useMutation(
    trpc.models.create.mutationOptions({
      onSuccess: async (model) => {
        await queryClient.invalidateQueries({ queryKey: trpc.models.list.queryKey() });
        onCreated?.(model.name);
        setName('');
        setUrl('');
        setCommand('');
        setPort('');
        setHandler('');
        setArtifactUri('');
        setDescription('');
        setEnv([]);
      },
    }),
  );
  const issues = create.isError ? issuesByField(create.error) : {};
  const shown = new Set(['name', 'kind', 'description', ...(kind === 'http' ? ['url'] : kind === 'command' ? ['command', 'port', 'artifactUri'] : ['handler', 'artifactUri'])]);
  const isEnvPath = (path: string) => path.startsWith('env') || path.startsWith('secretEnv');
  const otherIssues = Object.entries(issues).filter(([path]) => !shown.has(path) && !isEnvPath(path));
  const envIssue = Object.entries(issues).find(([path]) => isEnvPath(path))?.[1];

  function submit(event: FormEvent) {
    event.preventDefault();
    // Only the fields of the chosen kind go to the server: a URL left over from switching kind is not an error.
    const body: TCreateModel = {
      name: name.trim(),
      kind,
      ...(kind === 'http' && url.trim() ? { url: url.trim() } : {}),
      ...(kind === 'command' && command.trim() ? { command: command.trim() } : {}),
      ...(kind === 'command' && port.trim() ? { port: Number(port) } : {}),
      ...(kind === 'builtin' && handler.trim() ? { handler: handler.trim() } : {}),
      ...(kind !== 'http' && artifactUri.trim() ? { artifactUri: artifactUri.trim() } : {}),
      ...(description.trim() ? { description: description.trim() } : {}),
      env: envOf(env, false),
      ...(env.some((row) => row.secret && row.key.trim()) ? { secretEnv: envOf(env, true) } : {}),
    };
    create.mutate(body);
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="register-model" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="register-model" className="text-lg font-semibold text-slate-900">
        Register model
      </h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label="Name" error={issues.name} hint="Letters, digits and hyphens.">
          {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" className={`${input} font-mono`} />}
        </FormField>
        <FormField label="Kind" error={issues.kind} hint={KIND_HELP[kind]}>
          {(props) => (
            <select {...props} value={kind} onChange={(e) => setKind(e.target.value as Kind)} className={input}>
              {MODEL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          )}
        </FormField>
        {kind === 'http' && (
          <FormField label="URL" error={issues.url} hint="The server's base URL, e.g. http://10.0.0.5:8080">
            {(props) => <input {...props} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://host:8080" className={`${input} font-mono`} />}
          </FormField>
        )}
        {kind === 'command' && (
          <>
            <FormField label="Command" error={issues.command} hint="Run through sh -c; it must listen on $PORT.">
              {(props) => <input {...props} value={command} onChange={(e) => setCommand(e.target.value)} placeholder="python serve.py" className={`${input} font-mono`} />}
            </FormField>
            <FormField label="Port (optional)" error={issues.port} hint="A fixed port it always listens on: one instance per host.">
              {(props) => <input {...props} type="number" min={1} max={65535} value={port} onChange={(e) => setPort(e.target.value)} className={input} />}
            </FormField>
          </>
        )}
        {kind === 'builtin' && (
          <FormField label="Handler" error={issues.handler} hint="A built-in name (franc, fasttext-langid, onnx, paddle-ocr) or a module path on the workers' hosts.">
            {(props) => <input {...props} value={handler} onChange={(e) => setHandler(e.target.value)} placeholder="franc" className={`${input} font-mono`} />}
          </FormField>
        )}
        {kind !== 'http' && (
          <FormField label="Artifact URI (optional)" error={issues.artifactUri} hint="Given to the model as SM_MODEL_DIR; a .tar.gz is unpacked.">
            {(props) => <input {...props} value={artifactUri} onChange={(e) => setArtifactUri(e.target.value)} placeholder="s3://bucket/model.tar.gz" className={`${input} font-mono`} />}
          </FormField>
        )}
        <FormField label="Description (optional)" error={issues.description}>
          {(props) => <input {...props} value={description} onChange={(e) => setDescription(e.target.value)} className={input} />}
        </FormField>
      </div>
      <EnvRows rows={env} onChange={setEnv} error={envIssue} />
      {create.isError && (
        <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          <p className="font-semibold">Could not register the model</p>
          <p>{Object.keys(issues).length > 0 ? 'Fix the fields marked below the inputs.' : errorMessage(create.error)}</p>
          {otherIssues.length > 0 && (
            <ul className="mt-1 list-disc pl-5">
              {otherIssues.map(([path, message]) => (
                <li key={path}>
                  <span className="font-mono">{path}</span>: {message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {create.isSuccess && (
        <p role="status" className="text-sm text-green-800">
          Registered {create.data.name}.
        </p>
      )}
      <button type="submit" disabled={create.isPending} className="rounded bg-blue-700 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {create.isPending ? 'Registering…' : 'Register model'}
      </button>
    </form>
  );
}



function envOf(rows: EnvRow[], secret: boolean): Record<string, string> {
  return Object.fromEntries(rows.filter((row) => row.key.trim() && row.secret === secret).map((row) => [row.key.trim(), row.value]));
}

function EnvRows({ rows, onChange, error }: { rows: EnvRow[]; onChange: (rows: EnvRow[]) => void; error?: string | undefined }) {
  const update = (i: number, patch: Partial<EnvRow>) => onChange(rows.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-900">Environment (optional)</legend>
      {rows.map((row, i) => (
        <div key={i} className="flex flex-wrap items-center gap-2">
          <input aria-label={`Variable ${i + 1} name`} value={row.key} onChange={(e) => update(i, { key: e.target.value })} placeholder="NAME" className={`${input} mt-0 w-48 font-mono`} />
          <span aria-hidden="true">=</span>
          <input
            aria-label={`Variable ${i + 1} value`}
            type={row.secret ? 'password' : 'text'}
            autoComplete="off"
            value={row.value}
            onChange={(e) => update(i, { value: e.target.value })}
            placeholder="value"
            className={`${input} mt-0 w-64 font-mono`}
          />
          <label className="flex items-center gap-1 text-sm text-slate-800" title="Stored encrypted, shown masked, given only to the model's process">
            <input type="checkbox" checked={row.secret} onChange={(e) => update(i, { secret: e.target.checked })} aria-label={`Variable ${i + 1} is secret`} />
            Secret
          </label>
          <button type="button" onClick={() => onChange(rows.filter((_, j) => j !== i))} className="rounded px-2 py-1 text-sm text-slate-700 hover:bg-slate-100" aria-label={`Remove variable ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      {error && (
        <p data-field-error className="text-sm font-medium text-red-800">
          {error}
        </p>
      )}
      <button type="button" onClick={() => onChange([...rows, { key: '', value: '', secret: false }])} className="rounded border border-slate-400 bg-white px-3 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100">
        Add variable
      </button>
    </fieldset>
  );
}
