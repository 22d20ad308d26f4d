// Type-level: `npm run typecheck` fails when a row of SluiceProcedures stops matching the router
// (a renamed procedure, a query turned mutation, an input or output type changed on either side).
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { describe, expectTypeOf, it } from 'vitest';
import type { AppRouter } from '@sluice/api';
import type { ProcedurePath, SluiceProcedures } from './procedures.js';

/** `T['a']['b']` for the path `'a.b'`. */
type At<T, P extends string> = P extends `${infer Head}.${infer Rest}` ? (Head extends keyof T ? At<T[Head], Rest> : never) : P extends keyof T ? T[P] : never;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** An input that may be left out: tRPC writes `void | T | undefined` where the table says `T | undefined`. */
type Given<T> = Exclude<T, void | undefined>;

type RouterKind<P extends string> = At<AppRouter['_def']['record'], P> extends { _def: { type: infer K } } ? K : never;

/** The paths whose kind, input or output differ from the router's; `never` when all agree. */
type Mismatched = {
  [P in ProcedurePath]: Equal<SluiceProcedures[P]['kind'], RouterKind<P>> extends true
    ? Equal<Given<SluiceProcedures[P]['input']>, Given<At<inferRouterInputs<AppRouter>, P>>> extends true
      ? Equal<SluiceProcedures[P]['output'], At<inferRouterOutputs<AppRouter>, P>> extends true
        ? never
        : `${P}: output`
      : `${P}: input`
    : `${P}: kind`;
}[ProcedurePath];

describe('SluiceProcedures', () => {
  it('matches the router procedure by procedure: kind, input and output', () => {
    expectTypeOf<Mismatched>().toEqualTypeOf<never>();
  });

  it('detects a row that differs from the router', () => {
    type Wrong = Omit<SluiceProcedures, 'jobs.describe'> & { 'jobs.describe': { kind: 'mutation'; input: SluiceProcedures['jobs.describe']['input']; output: SluiceProcedures['jobs.describe']['output'] } };
    type WrongKind = Equal<Wrong['jobs.describe']['kind'], RouterKind<'jobs.describe'>>;
    expectTypeOf<WrongKind>().toEqualTypeOf<false>();
    expectTypeOf<Equal<Given<SluiceProcedures['jobs.list']['input']>, Given<At<inferRouterInputs<AppRouter>, 'jobs.describe'>>>>().toEqualTypeOf<false>();
  });
});
