import { ZModelRefSchema, type ModelPingView } from '@sluice/contracts';
import { createHttpTransport, PING_TIMEOUT_MS } from '@sluice/engine';
import type { Actor, Core } from '../context.js';
import { parseInput } from '../parse-input.js';
import { findModel } from './models.js';

/**
 * Asks an HTTP model's GET /ping once, with SageMaker's 2 s limit, and says what it answered. A
 * command or builtin model has no server until a worker spawns one for a job, so it cannot be
 * pinged from here.
 */
export async function pingModel(core: Core, actor: Actor, input: unknown): Promise<ModelPingView> {
  const { name } = parseInput(ZModelRefSchema, input);
  const model = await findModel(core, actor, name);
  if (model.kind !== 'http' || !model.url) {
    return { ok: null, status: null, message: 'started by each worker when a job runs; run a job to test it', latencyMs: null };
  }
  const transport = createHttpTransport(model.url);
  const started = performance.now();
  try {
    const { status, bodyHead } = await transport.pingStatus(PING_TIMEOUT_MS);
    const latencyMs = Math.round(performance.now() - started);
    if (status === 200) return { ok: true, status, message: null, latencyMs };
    // The body is whatever the URL answers: a viewer, who cannot choose the URL, does not read it
    // (a model pointed at an internal service would otherwise show its error pages to everyone).
    const detail = !bodyHead ? '' : actor.role === 'viewer' ? ' (its body is shown to members and admins)' : `: ${bodyHead.trim()}`;
    return { ok: false, status, message: `GET ${model.url}/ping answered ${status}${detail}`, latencyMs };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    return { ok: false, status: null, message: `GET ${model.url}/ping got no answer: ${error instanceof Error ? error.message : String(error)}`, latencyMs };
  } finally {
    await transport.close();
  }
}
