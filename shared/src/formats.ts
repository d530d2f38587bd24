import { FormatRegistry } from '@sinclair/typebox';

/** RFC 3339 date-time with an explicit zone, as `Date#toISOString` writes it. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Registers the string formats Faultline's schemas use (`date-time`, `uuid`) with TypeBox.
 * TypeBox's compiler knows no formats by itself and fails every value of a schema that names an
 * unknown one; `createValidator` calls this, so every validator knows them. Idempotent: TypeBox's registry is process-wide, and a format already there is kept.
 */
export function registerStandardFormats(): void {
  if (!FormatRegistry.Has('date-time')) {
    FormatRegistry.Set(
      'date-time',
      (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)),
    );
  }
  if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (value) => UUID.test(value));
}
