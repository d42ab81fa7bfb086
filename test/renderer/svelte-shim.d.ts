// Lets the Node-side `tsc -p tsconfig.json` type-check these tests; svelte-check and the
// Svelte vite plugin see the real component types.
declare module '*.svelte' {
  import type { Component } from 'svelte';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const component: Component<any, any, any>;
  export default component;
}
