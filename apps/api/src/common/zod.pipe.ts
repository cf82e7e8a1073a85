import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { type FieldError } from '@tautline/domain';
import { type z } from 'zod';
import { validationProblem } from './problem';

/**
 * Validates a body, query or param with a schema from `@tautline/domain`, naming each failing field.
 * Handler parameters are typed `z.infer<typeof Schema>`, never the schema's own name: decorator metadata
 * would otherwise point at the schema object and confuse the OpenAPI explorer.
 */
@Injectable()
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.infer<S> {
    // No body at all reads as an empty object; a JSON `null` (or any non-object) is the caller's and is refused.
    const result = this.schema.safeParse(value === undefined ? {} : value);
    if (result.success) return result.data;
    const location = metadata.type === 'custom' ? 'input' : metadata.type;
    const field = (path: readonly PropertyKey[]) =>
      [location, metadata.data, ...path.map(String)].filter(Boolean).join('.');
    throw validationProblem(result.error.issues.flatMap((issue) => fieldErrors(issue, field)));
  }
}

/** One error per issue; an unknown key is named itself (`body.roomID: unrecognized key`), not its parent. */
function fieldErrors(
  issue: z.core.$ZodIssue,
  field: (path: readonly PropertyKey[]) => string,
): FieldError[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: field([...issue.path, key]),
      message: 'unrecognized key',
    }));
  }
  return [{ field: field(issue.path), message: issue.message }];
}
