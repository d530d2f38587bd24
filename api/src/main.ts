import { runMain } from '@faultline/shared';
import { createApi } from './api.js';

await runMain((runtime) => [createApi({ runtime })]);
