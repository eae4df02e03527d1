import type { Widgets } from 'blessed';

/** blessed-contrib's two charts the Progress screen draws, loaded from their own files when first drawn. */
export interface Charts {
  gauge(options: object): Widgets.BoxElement & { setPercent(percent: number): void };
  line(options: object): Widgets.BoxElement & { setData(series: object[]): void };
}

export function loadCharts(): Charts {
  // the package's index would load every contrib widget and a world map: take the two files
  return {
    gauge: require('blessed-contrib/lib/widget/gauge') as Charts['gauge'],
    line: require('blessed-contrib/lib/widget/charts/line') as Charts['line'],
  };
}
