import { runPartMain } from '@faultline/shared';
import { createCorrelator } from './correlator.js';

await runPartMain('correlator', (runtime) => createCorrelator({ runtime }));
