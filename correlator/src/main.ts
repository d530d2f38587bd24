import { runMain } from '@faultline/shared';
import { createCorrelator } from './correlator.js';

await runMain((runtime) => [createCorrelator({ runtime })]);
