import { Option, type Command } from 'commander';
import { DATA_TYPES, setPath, TRANSFORM_FIELDS, valueKind, type DataType, type ParamIssue, type TransformField, type TransformRequest } from '@sluice/params';
import { decimal, integer } from './flag-parsers.js';

/**
 * The transform parameters as command-line flags, shared by `sluice transform` (runs here),
 * `sluice jobs create` and `sluice compare create` (run on the service), so all spell every
 * parameter the same way. The flags, their help and their range checks come from @sluice/params'
 * table of fields and its schema.
 */
export interface TransformParameterFlags {
  dataType: DataType;
  /** One member per transform parameter, named as commander names its flag (`--max-payload` → `maxPayload`). */
  [flag: string]: unknown;
}

/** The flag's option: its value checked as the schema says (allowed values, whole number or not, range); a boolean is a switch. */
function optionFor(field: TransformField): Option {
  const kind = valueKind(field.path);
  if (kind.kind === 'boolean') return new Option(field.flag, field.help);
  const option = new Option(`${field.flag} ${field.flagValue ?? '<value>'}`, field.help);
  if (kind.kind === 'choice') return option.choices(kind.values);
  if (kind.kind === 'integer') return option.argParser(integer(field.flag, kind.min, kind.max));
  if (kind.kind === 'number') return option.argParser(decimal(field.flag, kind.min, kind.max));
  return option;
}

const FLAGS = TRANSFORM_FIELDS.map((field) => ({ field, attribute: optionFor(field).attributeName() }));

export function addTransformParameterOptions(command: Command): Command {
  command.addOption(new Option('--data-type <type>', 'S3DataType').choices(DATA_TYPES).default('S3Prefix'));
  for (const { field } of FLAGS) command.addOption(optionFor(field));
  return command;
}

/**
 * The request the flags describe; only what was given (unset parameters keep their defaults).
 * Each value passed its flag's parser; the cross-field rules are checked where the request is used.
 */
export function transformRequestFromFlags(flags: TransformParameterFlags): TransformRequest {
  const request: Record<string, unknown> = {};
  for (const { field, attribute } of FLAGS) {
    if (flags[attribute] !== undefined) setPath(request, field.path, flags[attribute]);
  }
  // A placeholder given means the placeholder policy: no one sets a placeholder never to write it.
  if (flags.placeholder !== undefined && flags.errorPolicy === undefined) setPath(request, 'errorPolicy.mode', 'placeholder');
  return request as TransformRequest;
}

/** The flag that sets a transform parameter (by its request path). */
export function flagFor(path: string): string | undefined {
  return TRANSFORM_FIELDS.find((field) => field.path === path)?.flag;
}

export function describeIssues(issues: ParamIssue[]): string {
  return issues.map((i) => `${flagFor(i.path) ?? i.field}: ${i.message}`).join('\n       ');
}
