import { runMain } from '@faultline/shared';
import { createCollector } from './collector.js';

await runMain((runtime) => [createCollector({ runtime })]);
