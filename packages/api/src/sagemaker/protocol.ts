import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { actorForAccessKey, requireWriteRole, type AccessKeyProblem, type AuthSettings, type Core } from '@sluice/core';
import type { SageMakerAction } from './action.js';
import { CreateModel } from './create-model.js';
import { CreateTransformJob } from './create-transform-job.js';
import { DeleteModel } from './delete-model.js';
import { DescribeModel } from './describe-model.js';
import { DescribeTransformJob } from './describe-transform-job.js';
import { protocolErrors, SageMakerError, toSageMakerError } from './errors.js';
import type { InstanceTypePools } from './instance-pools.js';
import { ListModels } from './list-models.js';
import { ListTransformJobs } from './list-transform-jobs.js';
import { sageMakerField, type Json } from './shapes.js';
import { verifySignature, type SignedRequest } from './sigv4.js';
import { StopTransformJob } from './stop-transform-job.js';
import { clientAddressOf } from '../auth/client-address.js';
import { BodyTooLarge, readBodyLimited } from '../read-body.js';

/** Where the SageMaker-compatible API is served (with or without a trailing slash). */
export const SAGEMAKER_PATH = '/api/sagemaker';

/** The actions, by the name after `SageMaker.` in X-Amz-Target. */
export const SAGEMAKER_ACTIONS: Record<string, SageMakerAction> = {
  CreateModel,
  DescribeModel,
  ListModels,
  DeleteModel,
  CreateTransformJob,
  DescribeTransformJob,
  ListTransformJobs,
  StopTransformJob,
};

/** The actions that change something: viewers are refused them (AccessDeniedException). */
export const SAGEMAKER_WRITE_ACTIONS: ReadonlySet<string> = new Set(['CreateModel', 'DeleteModel', 'CreateTransformJob', 'StopTransformJob']);

/** Why a key that signed correctly still signs no one in. */
const KEY_PROBLEMS: Record<AccessKeyProblem, string> = {
  'local-key-in-required-mode': "This key belongs to the local admin, who exists only in local mode (SLUICE_AUTH=local): create a key for a user with 'sluice keys create --email you@example.com'.",
  'unknown-user': "This key's user does not exist (or is disabled): create the user with 'sluice users create', then a key with 'sluice keys create --email'.",
  'not-a-member': "This key's user is no longer a member of the key's team.",
};

/** SageMaker requests are small JSON documents; refuse anything that is not. */
export const SAGEMAKER_MAX_BODY_BYTES = 1024 * 1024;
const MAX_BODY_BYTES = SAGEMAKER_MAX_BODY_BYTES;

export interface SageMakerApiOptions {
  core: Core;
  /** InstanceType → pool, as the entry point parsed SLUICE_INSTANCE_TYPE_POOLS; default: every type on `default`. */
  instanceTypePools?: InstanceTypePools;
  /** Where unexpected (InternalFailure) errors are written in full: the operator's log. */
  log?: (line: string) => void;
  /** Default: the job service's settings (whether keys of the local admin are accepted). */
  auth?: AuthSettings;
}

export interface SageMakerResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The AWS JSON 1.1 protocol over the job service, independent of the HTTP server: a request in,
 * a response out, so node:http (startApiServer) and a Next.js route can both mount it.
 */
export function createSageMakerApi({ core, instanceTypePools = {}, log = (line) => process.stderr.write(`${line}\n`), auth }: SageMakerApiOptions) {
  return async function handleSageMakerRequest(request: SignedRequest): Promise<SageMakerResponse> {
    const target = String(request.headers['x-amz-target'] ?? '');
    try {
      if (request.method !== 'POST') throw protocolErrors.unknownOperation(`${request.method} ${SAGEMAKER_PATH}`);
      // Own properties only: `SageMaker.constructor` names Object.prototype's, not an action.
      const name = target.startsWith('SageMaker.') ? target.slice('SageMaker.'.length) : '';
      const action = Object.hasOwn(SAGEMAKER_ACTIONS, name) ? SAGEMAKER_ACTIONS[name] : undefined;
      if (!action) throw protocolErrors.unknownOperation(target || '(no X-Amz-Target)');
      const key = await verifySignature(core, request);
      // Keys belong to users: the key acts as its user in its team, with the role they have there now.
      const actor = await actorForAccessKey(core, key, request.ip, auth ?? core.settings.auth);
      if (typeof actor === 'string') throw protocolErrors.unrecognizedClient(KEY_PROBLEMS[actor]);
      if (SAGEMAKER_WRITE_ACTIONS.has(name)) requireWriteRole(actor);
      const body = await action({ core, actor, pools: instanceTypePools }, parseBody(request.body));
      return respond(200, {}, body);
    } catch (thrown) {
      const { error, internal } = toSageMakerError(thrown, sageMakerField);
      if (internal) log(`sluice sagemaker api: ${target} failed: ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`);
      return respond(error.status, { 'x-amzn-errortype': error.type }, { __type: error.type, message: error.message });
    }
  };
}

/** The same API as a node:http listener. */
export function createSageMakerHandler(options: SageMakerApiOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const handle = createSageMakerApi(options);
  return (req, res) => {
    void readBody(req)
      .then((body) => handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, ip: clientAddressOf(req.socket.remoteAddress ?? null, forwardedFor(req), (options.auth ?? options.core.settings.auth).trustedProxies) }))
      .catch((error: unknown) => {
        const { error: shaped } = toSageMakerError(error, sageMakerField);
        return respond(shaped.status, { 'x-amzn-errortype': shaped.type }, { __type: shaped.type, message: shaped.message });
      })
      .then((response) => {
        // A refused body was left unread: the connection cannot carry another request.
        res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body), ...(response.status === 413 ? { connection: 'close' } : {}) });
        res.end(response.body);
      });
  };
}

function forwardedFor(req: IncomingMessage): string | undefined {
  const value = req.headers['x-forwarded-for'];
  return Array.isArray(value) ? value.join(', ') : value;
}

function parseBody(body: Buffer): Json {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw protocolErrors.serialization('the body is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw protocolErrors.serialization('the body must be a JSON object');
  return parsed as Json;
}

function respond(status: number, headers: Record<string, string>, body: Json): SageMakerResponse {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), ...headers }, body: JSON.stringify(body) };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  try {
    return await readBodyLimited(req, MAX_BODY_BYTES, req.headers['content-length']);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw new SageMakerError('SerializationException', 413, `the body is over ${MAX_BODY_BYTES} bytes`);
    throw error;
  }
}
