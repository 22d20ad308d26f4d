import { isIP } from 'node:net';
import { z } from 'zod';
import { ROLES, type Role } from '@sluice/contracts';

/**
 * How Sluice decides who is asking, and where the API may read and write. This schema is the one
 * home of these settings; each has a line in the README's configuration table.
 *
 * - `local` (default): a request without credentials acts as the local admin. For one person on
 *   their own machine (`sluice up` refuses any address but loopback in this mode).
 * - `required`: every request needs a session (dashboard sign-in) or an API token (SLUICE_TOKEN).
 */
export const AUTH_MODES = ['local', 'required'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** An unset variable and an empty one mean the same: the default. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const commaList = (item: z.ZodString) =>
  z
    .string()
    .transform((text) => text.split(',').map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(item));

export const ZAuthEnvSchema = z
  .object({
    SLUICE_AUTH: optional(z.enum(AUTH_MODES, { error: "must be 'local' or 'required'" })),
    SLUICE_OIDC_ISSUER: optional(z.url({ protocol: /^https?$/, error: 'must be the issuer URL, e.g. https://accounts.example.com' })),
    SLUICE_OIDC_CLIENT_ID: optional(z.string()),
    SLUICE_OIDC_CLIENT_SECRET: optional(z.string()),
    SLUICE_OIDC_TEAM: optional(z.string().regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, 'must be a team name: letters, digits and hyphens')),
    SLUICE_OIDC_ROLE: optional(z.enum(ROLES, { error: 'must be admin, member or viewer' })),
    SLUICE_PUBLIC_URL: optional(z.url({ protocol: /^https?$/, error: 'must be the http(s) URL people open Sluice at, e.g. https://sluice.example.com' })),
    SLUICE_FILE_ROOTS: optional(commaList(z.string().regex(/^file:\/\/\/./, 'each root must be a file:/// URI, e.g. file:///data/'))),
    SLUICE_S3_ROOTS: optional(commaList(z.string().regex(/^s3:\/\/([^/]+\/.*)?$/, 'each root must be an s3://bucket/prefix/ URI (s3:// alone allows every bucket), e.g. s3://datasets/{team}/'))),
    SLUICE_MODEL_URL_ALLOW: optional(commaList(z.string().regex(/^(https?:\/\/.|\*$)/, 'each entry must be an http(s):// URL prefix, e.g. http://models.internal:8080/, or * for any URL'))),
    SLUICE_JOB_POOLS: optional(commaList(z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/, 'each entry must be a pool name: letters, digits, dots, hyphens or underscores'))),
    SLUICE_TRUSTED_PROXIES: optional(commaList(z.string().refine((address) => isIP(address) !== 0, 'each entry must be the IP address of a reverse proxy in front of Sluice, e.g. 10.0.0.5'))),
  })
  .superRefine((env, ctx) => {
    if (env.SLUICE_OIDC_ISSUER && !env.SLUICE_OIDC_CLIENT_ID) ctx.addIssue({ code: 'custom', path: ['SLUICE_OIDC_CLIENT_ID'], message: 'is needed with SLUICE_OIDC_ISSUER: the client id registered at the issuer' });
    if (!env.SLUICE_OIDC_ISSUER && (env.SLUICE_OIDC_CLIENT_ID || env.SLUICE_OIDC_TEAM)) ctx.addIssue({ code: 'custom', path: ['SLUICE_OIDC_ISSUER'], message: 'is needed for OIDC sign-in: set it to the issuer URL, or unset the other SLUICE_OIDC_* variables' });
    if (env.SLUICE_OIDC_ISSUER && new URL(env.SLUICE_OIDC_ISSUER).protocol === 'http:' && !isLoopbackHost(new URL(env.SLUICE_OIDC_ISSUER).hostname)) {
      ctx.addIssue({ code: 'custom', path: ['SLUICE_OIDC_ISSUER'], message: 'must be https:// (plain http only for an issuer on this machine: 127.0.0.1 or localhost)' });
    }
    if (env.SLUICE_OIDC_ROLE && !env.SLUICE_OIDC_TEAM) ctx.addIssue({ code: 'custom', path: ['SLUICE_OIDC_ROLE'], message: 'applies to first-time OIDC users landing in SLUICE_OIDC_TEAM: set SLUICE_OIDC_TEAM too' });
  });

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Null for a public client (PKCE only). */
  clientSecret: string | null;
  /** Where first-time users land; null: only existing users (matched by verified email) may sign in. */
  team: string | null;
  role: Role;
}

export interface AuthSettings {
  mode: AuthMode;
  oidc: OidcSettings | null;
  /** The URL people open Sluice at (OIDC redirect URI base; `https:` makes cookies Secure). */
  publicUrl: string | null;
  /** `file://` prefixes the API may read and write; null: as the mode's default (see allowedFileRoots). */
  fileRoots: string[] | null;
  /** `s3://` prefixes the API may read and write; null: as the mode's default (see allowedS3Roots). */
  s3Roots: string[] | null;
  /** URL prefixes an http model may use (`*`: any); null: as the mode's default (see allowedModelUrls). */
  modelUrlAllow: string[] | null;
  /** A session lasts this long after its last use (sliding). */
  sessionHours: number;
  /** ...and never longer than this after its sign-in, however often it is used (absolute). */
  sessionMaxHours: number;
  /** Failed sign-ins allowed per email and per address within the window, before 429. */
  signInLimit: { windowMinutes: number; perEmail: number; perIp: number };
  /**
   * Pools a job may name even while no worker serves them (SLUICE_JOB_POOLS; e.g. a pool scaled to
   * zero); a pool served by a live worker is accepted too. Any other is refused at create.
   */
  jobPools: string[];
  /** Reverse proxies whose X-Forwarded-For names the client (SLUICE_TRUSTED_PROXIES); from anyone else the header is ignored. */
  trustedProxies: string[];
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  mode: 'local',
  oidc: null,
  publicUrl: null,
  fileRoots: null,
  s3Roots: null,
  modelUrlAllow: null,
  sessionHours: 12,
  sessionMaxHours: 7 * 24,
  signInLimit: { windowMinutes: 15, perEmail: 10, perIp: 50 },
  jobPools: ['default'],
  trustedProxies: [],
};

/** The settings of a parsed environment. */
function toAuthSettings(e: z.output<typeof ZAuthEnvSchema>): AuthSettings {
  return {
    ...DEFAULT_AUTH_SETTINGS,
    mode: e.SLUICE_AUTH ?? 'local',
    oidc: e.SLUICE_OIDC_ISSUER
      ? {
          issuer: e.SLUICE_OIDC_ISSUER,
          clientId: e.SLUICE_OIDC_CLIENT_ID!,
          clientSecret: e.SLUICE_OIDC_CLIENT_SECRET ?? null,
          team: e.SLUICE_OIDC_TEAM ?? null,
          role: e.SLUICE_OIDC_ROLE ?? 'viewer',
        }
      : null,
    publicUrl: e.SLUICE_PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    fileRoots: e.SLUICE_FILE_ROOTS ?? null,
    s3Roots: e.SLUICE_S3_ROOTS ?? null,
    modelUrlAllow: e.SLUICE_MODEL_URL_ALLOW ?? null,
    jobPools: e.SLUICE_JOB_POOLS ?? DEFAULT_AUTH_SETTINGS.jobPools,
    trustedProxies: e.SLUICE_TRUSTED_PROXIES ?? [],
  };
}

/** The auth settings from an environment, as a part of a process's settings schema (settings/). */
export const ZAuthSettingsSchema = ZAuthEnvSchema.transform(toAuthSettings);

/** The settings from an environment; a bad value fails at start-up naming the variable and the fix. */
export function authSettingsFromEnv(env: NodeJS.ProcessEnv): AuthSettings {
  const parsed = ZAuthSettingsSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  return parsed.data;
}

/**
 * The `file://` roots in force: SLUICE_FILE_ROOTS when set; else every path in local mode (the
 * person at the keyboard owns the machine) and none in required mode (a signed-in user must not
 * read the server's files unless the operator said which).
 */
export function allowedFileRoots(settings: AuthSettings): string[] | null {
  return settings.fileRoots ?? (settings.mode === 'local' ? null : []);
}

/**
 * A connection's remote address (the socket's, as node reports it) is this machine's own: 127.0.0.0/8,
 * ::1, or an IPv4 loopback address mapped into IPv6. Never a name: a name is what a client says.
 */
export function isLoopbackAddress(address: string | null | undefined): boolean {
  if (!address) return false;
  const bare = address.toLowerCase().replace(/^::ffff:(?=\d)/, '');
  return bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/**
 * The http model URL prefixes in force: SLUICE_MODEL_URL_ALLOW when set (`*` allows any); else any
 * in local mode and none in required mode: a worker calls the URL from inside the network, so a
 * member could otherwise point it at internal services (cloud metadata, the database's admin port).
 */
export function allowedModelUrls(settings: AuthSettings): string[] | null {
  const allowed = settings.modelUrlAllow ?? (settings.mode === 'local' ? null : []);
  return allowed?.includes('*') ? null : allowed;
}

/**
 * The `s3://` roots in force: SLUICE_S3_ROOTS when set; else every bucket in local mode and none in
 * required mode. The service reads S3 with one set of credentials, so without roots (with `{team}`)
 * one team could name another team's bucket or prefix.
 */
export function allowedS3Roots(settings: AuthSettings): string[] | null {
  return settings.s3Roots ?? (settings.mode === 'local' ? null : []);
}
