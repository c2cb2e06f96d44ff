export * from './places.js';
export * from './identity.js';
export * from './audit.js';
export * from './relations.js';
export * from './courses.js';
export * from './videos.js';
export * from './learning.js';
export * from './classrooms.js';
