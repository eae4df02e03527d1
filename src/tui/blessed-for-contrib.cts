import blessed = require('./blessed.cjs');

/**
 * What blessed-contrib's gauge and line chart take from `require('blessed')`. In the start-up bundle
 * they get this instead of blessed's index, which would load a second blessed with every widget
 * (terminal, images, video); charts built on that second copy do not draw on the app's screen.
 */
const blessedForContrib = {
  Node: require('blessed/lib/widgets/node') as unknown,
  Box: blessed.box,
  box: blessed.box,
};

export = blessedForContrib;
