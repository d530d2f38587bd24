import { describe, expect, it } from 'vitest';
import { operStatusLook, serviceLabel } from './oper-status.js';

describe('operStatusLook', () => {
  it.each([
    [null, '? Not polled', 'oper-unknown'],
    ['up', '▲ Up', 'oper-up'],
    ['down', '▼ Down', 'oper-down'],
    ['lowerLayerDown', '▼ Lower layer down', 'oper-down'],
  ] as const)('%s', (status, text, className) => {
    expect(operStatusLook(status)).toEqual({ text, className });
  });
});

describe('serviceLabel', () => {
  it.each([
    [
      {
        customerName: 'Initech',
        customerId: 'initech',
        description: 'Office internet',
        serviceId: 's',
      },
      'Initech: Office internet',
    ],
    [
      { customerName: null, customerId: 'gone', description: null, serviceId: 'gone-1' },
      'gone: gone-1',
    ],
  ])('%j', (service, label) => {
    expect(serviceLabel(service)).toBe(label);
  });
});
