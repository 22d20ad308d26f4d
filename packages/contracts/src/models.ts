import { z } from 'zod';
import { ZResourceNameSchema, ZStorageUriSchema } from './names.js';

export const MODEL_KINDS = ['http', 'command', 'builtin'] as const;

export const ZCreateModelSchema = z
  .object({
    name: ZResourceNameSchema,
    kind: z.enum(MODEL_KINDS),
    /** kind http: the base URL of a running server speaking the SageMaker container protocol. */
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    /** kind command: run through `sh -c`; it listens on $PORT and gets SAGEMAKER_* variables. */
    command: z.string().min(1).max(4096).optional(),
    /**
     * kind builtin: the handler run inside the worker with no HTTP hop: a built-in name (`franc`,
     * `fasttext-langid`) or the path of a handler module on the workers' hosts.
     */
    handler: z.string().min(1).max(1024).optional(),
    /** A model artifact (a .tar.gz is unpacked) given to the command as SM_MODEL_DIR (to a builtin handler's modelFn). */
    artifactUri: ZStorageUriSchema.optional(),
    /** A fixed port the command always listens on (SageMaker containers: 8080): one instance per host. */
    port: z.number().int().min(1).max(65535).optional(),
    env: z
      .record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'keys must be letters, digits and underscores'), z.string().max(10240))
      .default({}),
    startupTimeoutSeconds: z.number().int().min(1).max(3600).default(120),
    description: z.string().max(1024).optional(),
    /**
     * kind command: env values that are secrets (API keys...): stored sealed with SLUICE_SECRET_KEY,
     * shown masked (`••••`) in every view, given only to the model's process.
     */
    secretEnv: z
      .record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'keys must be letters, digits and underscores'), z.string().max(10240))
      .default({}),
  })
  .superRefine((model, ctx) => {
    if (model.kind === 'http') {
      if (!model.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'an http model needs the URL of its server' });
      if (model.command) ctx.addIssue({ code: 'custom', path: ['command'], message: 'an http model has a URL, not a command' });
      if (model.artifactUri) ctx.addIssue({ code: 'custom', path: ['artifactUri'], message: 'an artifact is given to a command model; an http model loads its own' });
      if (model.handler) ctx.addIssue({ code: 'custom', path: ['handler'], message: 'an http model has a URL, not a handler' });
    } else if (model.kind === 'builtin') {
      if (!model.handler) ctx.addIssue({ code: 'custom', path: ['handler'], message: 'a builtin model needs its handler: a built-in name such as franc or fasttext-langid, or a module path' });
      if (model.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'a builtin model runs inside the worker; it has no URL' });
      if (model.command) ctx.addIssue({ code: 'custom', path: ['command'], message: 'a builtin model runs inside the worker; it has no command' });
      if (model.port) ctx.addIssue({ code: 'custom', path: ['port'], message: 'a builtin model runs inside the worker; it listens on no port' });
    } else {
      if (model.handler) ctx.addIssue({ code: 'custom', path: ['handler'], message: 'a command model has a command; to serve a handler run `sluice-model-server --handler <name|path>` as the command, or register it as builtin' });
      if (!model.command) ctx.addIssue({ code: 'custom', path: ['command'], message: 'a command model needs the command that starts its server' });
      if (model.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'a command model is started by the worker; it has no URL' });
    }
    for (const key of Object.keys(model.secretEnv)) {
      if (key in model.env) ctx.addIssue({ code: 'custom', path: ['secretEnv', key], message: `${key} is in env too: give it in one of env or secretEnv` });
    }
    if (model.kind !== 'command' && Object.keys(model.secretEnv).length > 0) {
      ctx.addIssue({ code: 'custom', path: ['secretEnv'], message: `only a command model gets environment variables; a${model.kind === 'http' ? 'n http' : ' builtin'} model has no process of its own to give them to` });
    }
  });

export type TCreateModel = z.input<typeof ZCreateModelSchema>;

export const ZModelRefSchema = z.object({ name: ZResourceNameSchema });
export type TModelRef = z.input<typeof ZModelRefSchema>;

export interface ModelView {
  name: string;
  kind: (typeof MODEL_KINDS)[number];
  url: string | null;
  command: string | null;
  /** kind builtin: the handler's built-in name or module path. */
  handler: string | null;
  artifactUri: string | null;
  port: number | null;
  env: Record<string, string>;
  /** Secret env names, each value masked as `••••`: the values never leave the job service except to the model. */
  secretEnv?: Record<string, string>;
  startupTimeoutSeconds: number;
  description: string | null;
  createdBy: string;
  createdAt: Date;
  /** Jobs that used the model, newest first (describe only). */
  jobs?: Array<{ name: string; status: string; creationTime: Date }>;
}

/**
 * What "Test ping" found. `ok` is null for command and builtin models: there is no server to ask
 * until a worker starts one for a job.
 */
export interface ModelPingView {
  ok: boolean | null;
  /** GET /ping's HTTP status, when the model answered. */
  status: number | null;
  /** Why it is not healthy, or why it cannot be pinged. */
  message: string | null;
  latencyMs: number | null;
}
