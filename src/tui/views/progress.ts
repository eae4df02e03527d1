import type { Widgets } from 'blessed';
import blessed from '../blessed.cjs';
import { loadCharts, type Charts } from '../charts.cjs';
import type { View } from '../app.js';
import type { AppContext } from '../context.js';
import type { Binding } from '../keymap.js';
import type { ProgressSummary } from '../../progress/index.js';
import { escapeTags, paint } from '../theme.js';
import { barParts } from '../../terminal/bars.js';
import { LEITNER_INTERVAL_DAYS } from '../../quiz/review.js';
import { scrollText, type ScrollText } from '../widgets.js';
import { padColumns, truncate } from '../width.js';
import { columns } from '../../text-width.cjs';
import { translate } from '../../locale/catalogue.js';

/**
 * Progress: course completion (a gauge), scores over time (a line chart), mastery by topic (bars),
 * the review queue and the study streak. The charts are blessed-contrib's, loaded only here; on a
 * terminal without Unicode the same figures are drawn as text.
 */

/** The screen's widgets while drawn; the mastery list is the one that scrolls. */
interface ProgressScreen {
  context: AppContext;
  widgets: Widgets.BlessedElement[];
  mastery?: ScrollText;
}

export function progressView(context: AppContext): View {
  const screen: ProgressScreen = { context, widgets: [] };
  return {
    title: () => context.shell.t('progressTitle'),
    bindings: (): Binding[] => [
      { keys: ['up', 'k'], display: '↑↓', ascii: 'Up/Down', label: 'keyScroll', status: true, run: () => screen.mastery?.scroll(-1) },
      { keys: ['down', 'j'], display: '↓/j', label: 'keyScroll', run: () => screen.mastery?.scroll(1) },
    ],
    mount: (body) => draw(screen, body),
    unmount() {
      for (const widget of screen.widgets) widget.destroy();
      screen.widgets = [];
      screen.mastery = undefined;
    },
  };
}

/** What each part of the screen draws with: the summary, the body, its width, the charts (when the terminal has Unicode). */
interface Canvas {
  summary: ProgressSummary;
  body: Widgets.BoxElement;
  width: number;
  contrib: Charts | undefined;
}

const TOP_HEIGHT = 7;

async function draw(screen: ProgressScreen, body: Widgets.BoxElement): Promise<void> {
  const { context } = screen;
  const [{ summarize }, { topicName }, store] = await Promise.all([import('../../progress/index.js'), import('../../lessons/course.js'), context.progress()]);
  const canvas: Canvas = { summary: summarize(store.read(), { now: Date.now() }), body, width: body.width as number, contrib: context.shell.unicode ? loadCharts() : undefined };
  // top row: completion, streak, review queue
  const half = Math.floor(canvas.width / 2);
  screen.widgets.push(completion(context, canvas, half));
  screen.widgets.push(streakAndReview(context, canvas, half));
  // middle: scores over time
  const chartHeight = Math.max(6, Math.floor(((body.height as number) - TOP_HEIGHT) / 2));
  screen.widgets.push(scores(context, canvas, { top: TOP_HEIGHT, height: chartHeight }));
  // bottom: mastery by topic, one bar per topic
  screen.mastery = mastery(context, canvas, TOP_HEIGHT + chartHeight, (topic) => topicName(topic, context.shell.preferences().language));
  screen.widgets.push(screen.mastery.element);
  context.shell.render();
}

/** A bar coloured by how good the figure is: green from 66%, yellow from 40%, red below; dots when there is none. */
function bar({ shell }: AppContext, percent: number | null, width: number): string {
  if (percent === null) return paint(shell.theme(), 'muted', shell.unicode ? '·'.repeat(width) : '.'.repeat(width));
  const [filled, empty] = barParts(percent / 100, width, shell.unicode);
  const role = percent >= 66 ? 'ok' : percent >= 40 ? 'warn' : 'bad';
  return `${paint(shell.theme(), role, filled)}${paint(shell.theme(), 'muted', empty)}`;
}

/** Course completion: contrib's gauge, or a text bar on a terminal without Unicode or colour (the gauge is drawn in colours). */
function completion(context: AppContext, { summary, body, contrib }: Canvas, half: number): Widgets.BlessedElement {
  const { shell } = context;
  const theme = shell.theme();
  if (!contrib || theme.monochrome) {
    return blessed.box({ parent: body, top: 0, left: 0, width: half, height: TOP_HEIGHT, tags: true, border: { type: 'line' }, label: ` ${shell.t('completionLabel')} `, content: `\n ${bar(context, summary.completion.percent, half - 12)} ${summary.completion.percent}%\n ${summary.completion.done}/${summary.completion.total}` });
  }
  // contrib's canvases set themselves up on 'attach': create, then append
  const gauge = contrib.gauge({ top: 0, left: 0, width: half, height: TOP_HEIGHT, label: ` ${shell.t('completionLabel')} ${summary.completion.done}/${summary.completion.total} `, stroke: 'green', fill: 'white', border: { type: 'line' }, style: { border: { fg: theme.border } } });
  body.append(gauge);
  gauge.setPercent(summary.completion.percent);
  return gauge;
}

/** The study streak and the review queue, its Leitner boxes named by when their cards come back. */
function streakAndReview({ shell }: AppContext, { summary, body, width }: Canvas, half: number): Widgets.BlessedElement {
  const theme = shell.theme();
  const { streak, review } = summary;
  return blessed.box({
    parent: body,
    top: 0,
    left: half,
    width: width - half,
    height: TOP_HEIGHT,
    tags: true,
    border: { type: 'line' },
    style: { border: { fg: theme.border } },
    content: [
      `${paint(theme, 'accent', shell.t('streakLabel'))}: ${escapeTags(shell.t(streak.days === 1 ? 'streakDay' : 'streakDays', { days: streak.days, longest: streak.longest }))}`,
      `${paint(theme, 'accent', shell.t('reviewQueueLabel'))}: ${escapeTags(shell.t('dueNow', { count: review.due.length }))}, ${escapeTags(shell.t('reviewTotal', { count: review.cards }))}`,
      `  ${escapeTags(shell.t('reviewBoxesLabel'))}`,
      `  ${review.boxes.map((count, box) => `${escapeTags(shell.t('reviewBoxDays', { days: LEITNER_INTERVAL_DAYS[box] ?? box + 1 }))}${count}`).join('  ')}`,
      // the next date matters only when nothing is due now (it would be a past date then)
      review.nextDue && review.due.length === 0 ? paint(theme, 'muted', `  ${escapeTags(shell.t('reviewNext', { date: review.nextDue.slice(0, 10) }))}`) : '',
    ].join('\n'),
  });
}

/** Scores over time: contrib's line chart from two scores on, else the last ones as text bars. */
function scores(context: AppContext, { summary, body, width, contrib }: Canvas, at: { top: number; height: number }): Widgets.BlessedElement {
  const { shell } = context;
  const theme = shell.theme();
  const label = ` ${shell.t('scoresLabel')} `;
  if (summary.scores.length < 2 || !contrib) {
    const text = summary.scores.length === 0 ? shell.t('noScores') : summary.scores.slice(-8).map((s) => `${s.at.slice(0, 10)} ${padColumns(escapeTags(translate(shell.preferences().language, `progress.mode.${s.mode}`)), 8)} ${bar(context, s.percent, 20)} ${s.percent}%`).join('\n');
    return blessed.box({ parent: body, top: at.top, left: 0, width, height: at.height, tags: true, border: { type: 'line' }, label, style: { border: { fg: theme.border } }, content: summary.scores.length === 0 ? escapeTags(text) : text });
  }
  const points = summary.scores.slice(-30);
  const chart = contrib.line({
    top: at.top,
    left: 0,
    width,
    height: at.height,
    label,
    minY: 0,
    maxY: 100,
    showLegend: false,
    border: { type: 'line' },
    // the chart's canvas knows the eight basic colours and 'normal' (no colour code at all)
    style: { line: theme.monochrome ? 'normal' : 'cyan', text: theme.monochrome ? 'normal' : 'green', baseline: theme.monochrome ? 'normal' : 'white', border: { fg: theme.border } },
  });
  body.append(chart);
  chart.setData([{ title: 'score', x: points.map((_, i) => String(i + 1)), y: points.map((s) => s.percent) }]);
  return chart;
}

/** Mastery by topic, one bar per topic, to the bottom of the screen (it scrolls). */
function mastery(context: AppContext, { summary, body, width }: Canvas, top: number, nameOf: (topic: string) => string): ScrollText {
  const { shell } = context;
  const nameWidth = Math.min(30, Math.max(...summary.mastery.map((m) => columns(nameOf(m.topic)))));
  const barWidth = Math.max(10, width - nameWidth - 12);
  const rows = summary.mastery.map((m) => `${padColumns(truncate(nameOf(m.topic), nameWidth, shell.unicode), nameWidth)} ${bar(context, m.percent, barWidth)} ${m.percent === null ? '  -' : `${String(m.percent).padStart(3)}%`}`);
  return scrollText(body, shell.theme(), { top, left: 0, width, height: (body.height as number) - top, border: true, label: shell.t('masteryLabel'), content: rows.join('\n') });
}
