export * from './support/services.js';
