export { createApi, type ApiComponent, type ApiDeps } from './api.js';
export { buildApp, faultlineApp, DEFAULT_DASHBOARD_DIR, type AppDeps } from './app.js';
export { authorize, PERMISSIONS, type Permission } from './core/authorize.js';
