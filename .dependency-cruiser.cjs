/**
 * The layers of kubetls (ARCHITECTURE.md), checked on the compiled modules by test/architecture.test.ts:
 * the core (pki, lessons, quiz, progress, locale, classroom) never reaches the shells (cli, tui) or the
 * terminal library, the app never reaches the command line, and no module imports itself round a circle.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'modules import each other round a circle: move what both need below them',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-not-to-shells',
      severity: 'error',
      comment: 'the core has no terminal code and does not know how it is shown',
      from: { path: '^dist/src/(pki|lessons|quiz|progress|locale|classroom)/' },
      to: { path: '^dist/src/(cli|tui|startup)/' },
    },
    {
      name: 'core-not-to-blessed',
      severity: 'error',
      comment: 'blessed belongs to src/tui',
      from: { path: '^dist/src/(pki|lessons|quiz|progress|locale|classroom)/' },
      to: { path: 'node_modules/(blessed|blessed-contrib)/' },
    },
    {
      name: 'app-not-to-cli',
      severity: 'error',
      comment: 'the app and the command line are two shells over the core; what both need belongs below them',
      from: { path: '^dist/src/tui/' },
      to: { path: '^dist/src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^dist/src/|node_modules/(blessed|blessed-contrib)/',
    exclude: { path: '^dist/src/build/' },
  },
};
