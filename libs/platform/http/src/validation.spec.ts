import { IsString } from 'class-validator';
import { ApiError } from './api-error';
import { createValidationPipe, unknownFields } from './validation';

class Decorated {
  @IsString() name!: string;
}

class Reading {
  static calls: Array<Record<string, unknown>> = [];
  name?: string;
  static fromQuery(query: Record<string, unknown>): Reading {
    Reading.calls.push(query);
    const problems = unknownFields(query, ['name']);
    if (problems.length) throw ApiError.validation(problems.join('; '));
    return Object.assign(new Reading(), { name: query['name'] });
  }
}

describe('the validation pipe', () => {
  const pipe = createValidationPipe();

  it('lets a query DTO with fromQuery read the query itself (no class-validator)', async () => {
    const out = await pipe.transform({ name: 'x' }, { type: 'query', metatype: Reading });
    expect(out).toBeInstanceOf(Reading);
    expect(out).toEqual(Object.assign(new Reading(), { name: 'x' }));
    expect(Reading.calls).toEqual([{ name: 'x' }]);
    await expect(pipe.transform({ name: 'x', other: '1' }, { type: 'query', metatype: Reading })).rejects.toMatchObject({ message: 'other: unknown field' });
  });

  it('validates other DTOs with class-validator, unknown fields refused in the same words', async () => {
    await expect(pipe.transform({ name: 'x', other: '1' }, { type: 'query', metatype: Decorated })).rejects.toMatchObject({ message: 'other: unknown field' });
    await expect(pipe.transform({ name: 3 }, { type: 'query', metatype: Decorated })).rejects.toMatchObject({ message: 'name must be a string' });
    // a body DTO is never read by fromQuery
    Reading.calls = [];
    await expect(pipe.transform({ name: 'x' }, { type: 'body', metatype: Reading })).rejects.toMatchObject({ message: 'name: unknown field' });
    expect(Reading.calls).toEqual([]);
  });
});
