import { describe, expect, it } from 'vitest';
import { renderPrometheus, type ComponentMetric } from './metrics.js';

const counter = (value: number, labels?: Record<string, string>): ComponentMetric => ({
  name: 'faultline_x_total',
  help: 'Things counted.',
  type: 'counter',
  value,
  ...(labels ? { labels } : {}),
});

describe('renderPrometheus', () => {
  it.each<[string, ComponentMetric[], string]>([
    ['nothing', [], ''],
    [
      'one sample',
      [counter(3)],
      '# HELP faultline_x_total Things counted.\n# TYPE faultline_x_total counter\nfaultline_x_total 3\n',
    ],
    [
      'labelled samples grouped under one header even when interleaved',
      [
        counter(1, { kind: 'a' }),
        { name: 'faultline_y', help: 'Y.', type: 'gauge', value: 2 },
        counter(4, { kind: 'b' }),
      ],
      '# HELP faultline_x_total Things counted.\n# TYPE faultline_x_total counter\n' +
        'faultline_x_total{kind="a"} 1\nfaultline_x_total{kind="b"} 4\n' +
        '# HELP faultline_y Y.\n# TYPE faultline_y gauge\nfaultline_y 2\n',
    ],
    [
      'escaped label values and special numbers',
      [counter(Infinity, { route: 'a"b\\c\nd' })],
      '# HELP faultline_x_total Things counted.\n# TYPE faultline_x_total counter\n' +
        'faultline_x_total{route="a\\"b\\\\c\\nd"} +Inf\n',
    ],
  ])('renders %s', (_label, metrics, text) => {
    expect(renderPrometheus(metrics)).toBe(text);
  });
});
