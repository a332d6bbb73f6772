import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';

/** Flattens class-validator errors into `field: problem` strings with dotted paths. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  const out: string[] = [];
  for (const e of errors) {
    const path = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    if (e.constraints) {
      for (const [rule, text] of Object.entries(e.constraints)) {
        if (rule === 'whitelistValidation') out.push(`${path}: unknown field`);
        else out.push(text.startsWith(e.property) ? `${path}${text.slice(e.property.length)}` : `${path}: ${text}`);
      }
    }
    if (e.children?.length) out.push(...describeValidationErrors(e.children, path));
  }
  return out;
}

/** whitelist + forbid unknown + transform; failures become 400 VALIDATION_FAILED naming each field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => ApiError.validation(describeValidationErrors(errors).join('; ')),
  });
}
