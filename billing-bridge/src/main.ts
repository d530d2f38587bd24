import { runMain } from '@faultline/shared';
import { createBillingBridge } from './billing-bridge.js';

await runMain((runtime) => [createBillingBridge({ runtime })]);
