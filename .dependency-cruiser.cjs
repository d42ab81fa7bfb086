/**
 * The layering rule, checked by `npm test` (`npm run lint:deps`). LAYERS lists the rooms from
 * the bottom up; a module may import its own room and the rooms of lower layers, never a room
 * of its own layer or above (README, "Layers"). The renderer sees only src-shared/.
 */
const LAYERS = [
  ['src-shared'],
  ['src-main/core/errors', 'src-main/core/logger'],
  ['src-main/core/runtime'],
  ['src-main/core/match'],
  ['src-main/core/face', 'src-main/core/voice'],
  ['src-main/core/liveness'],
  ['src-main/core/store'],
  ['src-main/core/context'],
  ['src-main/core/auth', 'src-main/core/privacy'],
  ['src-main/core/attendance', 'src-main/core/admin'],
  ['src-main/core/central'],
  ['src-main/handlers', 'src-main/eval'],
  ['src-main/transport', 'src-main/bench'],
  ['src-main/app'],
  ['src-main/cli'],
];

/** A room is a folder, or a single module at the top of core/ (errors.ts, logger.ts). */
const room = (path) => `^${path.replace(/[.]/g, '\\.')}(/|\\.ts$)`;
const anyOf = (paths) => paths.map(room).join('|');

const upward = LAYERS.flatMap((layer, level) =>
  layer.map((from) => {
    const above = LAYERS.slice(level + 1).flat();
    const peers = layer.filter((other) => other !== from);
    return {
      name: `layer:${from}`,
      comment: `${from} may import only lower layers (${LAYERS.slice(0, level).flat().join(', ') || 'none'})`,
      severity: 'error',
      from: { path: room(from) },
      to: { path: anyOf([...above, ...peers]) },
    };
  }),
).filter((rule) => rule.to.path !== '');

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'renderer-sees-only-shared',
      comment: 'The renderer talks to the main process through the contract only; it never imports main-process code.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/' },
    },
    {
      name: 'no-node-in-shared-or-renderer',
      comment: 'src-shared/ and the renderer run in a sandboxed page: no Node built-ins, no Electron.',
      severity: 'error',
      from: { path: '^(src-shared|src-renderer)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'electron-only-in-the-shell',
      comment: 'Electron is imported by the desktop entry point and the IPC transport only; the core runs under plain Node.',
      severity: 'error',
      from: { pathNot: '^src-main/(app/electron-main\\.ts|transport/ipc/)' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'sqlite-only-in-the-store',
      comment: 'better-sqlite3 is the store room\'s business: every other room uses its repositories.',
      severity: 'error',
      from: { pathNot: '^src-main/core/store/' },
      to: { path: '^node_modules/better-sqlite3/' },
    },
    {
      name: 'postgres-only-in-central',
      comment: 'node-postgres is the central room\'s business: the rest of the kiosk never talks to the server directly.',
      severity: 'error',
      from: { pathNot: '^src-main/core/central/' },
      to: { path: '^node_modules/(pg|pg-[a-z-]+|@types/pg)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.cts', '.js', '.cjs', '.svelte', '.json'], conditionNames: ['import', 'require', 'node', 'browser', 'svelte', 'default', 'types'], exportsFields: ['exports'], mainFields: ['module', 'main', 'types'] },
  },
};
