/**
 * electron-builder configuration (`npx electron-builder --config electron.config.ts`).
 * Models and migrations ship as resources next to app.asar; native modules are unpacked
 * so they can be dlopen()ed; onnxruntime-node's binaries for other platforms and
 * architectures are left out (all of them together are ~290 MB).
 */
import type { Configuration } from 'electron-builder';

const ortBinaries = 'node_modules/onnxruntime-node/bin/napi-v6';

/** Keep only this platform's onnxruntime build for the architecture being packaged. */
const ortFilesFor = (platform: 'linux' | 'darwin' | 'win32'): string[] => [
  `!${ortBinaries}/!(${platform})/**`,
  `!${ortBinaries}/${platform}/!(\${arch})/**`,
];

const config: Configuration = {
  appId: 'com.example.attendance-kiosk',
  productName: 'Attendance Kiosk',
  directories: { output: 'release', buildResources: 'build-resources' },
  files: [
    'dist-main/**',
    'dist-renderer/**',
    'package.json',
    // Read at run time by the voice front end (core/voice/features.ts), from inside the asar.
    'models/voice-frontend.json',
    '!**/*.map',
    '!node_modules/@tensorflow/**',
    '!node_modules/@vladmandic/face-api/{demo,src,dist,types}/**',
  ],
  extraResources: [
    { from: 'models', to: 'models', filter: ['*.onnx', '*.calibration.json', 'manifest.json'] },
    { from: 'migrations', to: 'migrations', filter: ['*.sql'] },
  ],
  asarUnpack: ['node_modules/better-sqlite3/**', 'node_modules/onnxruntime-node/**'],
  // better-sqlite3 is rebuilt for Electron's ABI by `npm start` / electron-builder itself.
  npmRebuild: true,
  // Close Electron's debugging and run-as-Node doors in the shipped binary: the kiosk holds biometric data.
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    files: ortFilesFor('linux'),
  },
  deb: { depends: ['libnss3', 'libgtk-3-0'] },
  win: { target: ['nsis'], files: ortFilesFor('win32') },
  nsis: { oneClick: false, perMachine: true, allowToChangeInstallationDirectory: true },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.business',
    files: ortFilesFor('darwin'),
    extendInfo: {
      NSCameraUsageDescription: 'The kiosk recognises employees by face to record attendance.',
      NSMicrophoneUsageDescription: 'The kiosk recognises employees by voice to record attendance.',
    },
  },
};

export default config;
