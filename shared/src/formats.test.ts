import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { createValidator } from './validate.js';
import { registerStandardFormats } from './formats.js';

registerStandardFormats();
const check = createValidator(
  Type.Object({ at: Type.String({ format: 'date-time' }), id: Type.String({ format: 'uuid' }) }),
);

describe('registerStandardFormats', () => {
  it.each([
    ['2026-01-01T10:00:00.000Z', '0b7e0d3a-6f5c-4c1e-9a51-3f1f4c1d2e3f', true],
    ['2026-01-01T10:00:00+02:00', '0B7E0D3A-6F5C-4C1E-9A51-3F1F4C1D2E3F', true],
    ['2026-01-01 10:00:00', '0b7e0d3a-6f5c-4c1e-9a51-3f1f4c1d2e3f', false],
    ['2026-01-01T10:00:00', '0b7e0d3a-6f5c-4c1e-9a51-3f1f4c1d2e3f', false],
    ['2026-13-45T10:00:00Z', '0b7e0d3a-6f5c-4c1e-9a51-3f1f4c1d2e3f', false],
    ['2026-01-01T10:00:00Z', 'not-a-uuid', false],
  ])('%s / %s → %s', (at, id, ok) => {
    expect(check.check({ at, id }).ok).toBe(ok);
  });

  it('can be called again', () => {
    registerStandardFormats();
    expect(
      check.check({ at: '2026-01-01T10:00:00Z', id: '0b7e0d3a-6f5c-4c1e-9a51-3f1f4c1d2e3f' }).ok,
    ).toBe(true);
  });
});
