import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
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
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const location = metadata.type === 'custom' ? 'input' : metadata.type;
    throw validationProblem(
      result.error.issues.map((issue) => ({
        field: [location, metadata.data, ...issue.path.map(String)].filter(Boolean).join('.'),
        message: issue.message,
      })),
    );
  }
}
