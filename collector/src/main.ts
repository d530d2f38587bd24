import { runPartMain } from '@faultline/shared';
import { createCollector } from './collector.js';

await runPartMain('collector', (runtime) => createCollector({ runtime }));
