import { runPartMain } from '@faultline/shared';
import { createBillingBridge } from './billing-bridge.js';

await runPartMain('billing-bridge', (runtime) => createBillingBridge({ runtime }));
