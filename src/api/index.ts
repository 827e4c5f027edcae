export * from './client';
export * from './enums';
export * from './errors';
export * from './models';
export type { RequestEvent } from './transport';
