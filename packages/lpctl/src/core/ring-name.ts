/** A rollout ring's name: part of file names (`manifest.<ring>.json`), so a plain lower-case word. */
export const RING_NAME = /^[a-z][a-z0-9-]{0,31}$/;
