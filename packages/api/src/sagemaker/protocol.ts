import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '@sluice/core';
import type { SageMakerAction } from './action.js';
import { CreateModel } from './create-model.js';
import { CreateTransformJob } from './create-transform-job.js';
import { DeleteModel } from './delete-model.js';
import { DescribeModel } from './describe-model.js';
import { DescribeTransformJob } from './describe-transform-job.js';
import { protocolErrors, SageMakerError, toSageMakerError } from './errors.js';
import { instanceTypePoolsFromEnv, type InstanceTypePools } from './instance-pools.js';
import { ListModels } from './list-models.js';
import { ListTransformJobs } from './list-transform-jobs.js';
import { sageMakerField, type Json } from './shapes.js';
import { verifySignature, type SignedRequest } from './sigv4.js';
import { StopTransformJob } from './stop-transform-job.js';

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

/** SageMaker requests are small JSON documents; refuse anything that is not. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface SageMakerApiOptions {
  core: Core;
  /** InstanceType → pool; default: SLUICE_INSTANCE_TYPE_POOLS, parsed once here. */
  instanceTypePools?: InstanceTypePools;
  /** Where unexpected (InternalFailure) errors are written in full: the operator's log. */
  log?: (line: string) => void;
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
export function createSageMakerApi({ core, instanceTypePools = instanceTypePoolsFromEnv(), log = (line) => process.stderr.write(`${line}\n`) }: SageMakerApiOptions) {
  return async function handleSageMakerRequest(request: SignedRequest): Promise<SageMakerResponse> {
    const target = String(request.headers['x-amz-target'] ?? '');
    try {
      if (request.method !== 'POST') throw protocolErrors.unknownOperation(`${request.method} ${SAGEMAKER_PATH}`);
      const action = target.startsWith('SageMaker.') ? SAGEMAKER_ACTIONS[target.slice('SageMaker.'.length)] : undefined;
      if (!action) throw protocolErrors.unknownOperation(target || '(no X-Amz-Target)');
      const actor = await verifySignature(core, request);
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
      .then((body) => handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body }))
      .catch((error: unknown) => {
        const { error: shaped } = toSageMakerError(error, sageMakerField);
        return respond(shaped.status, { 'x-amzn-errortype': shaped.type }, { __type: shaped.type, message: shaped.message });
      })
      .then((response) => {
        res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
        res.end(response.body);
      });
  };
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
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new SageMakerError('SerializationException', 413, `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
