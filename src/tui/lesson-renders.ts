import type { Lesson } from '../lessons/load.js';
import type { RenderedDocument, RenderOptions } from '../lessons/render.js';

/**
 * Lessons rendered for the reader, kept by lesson and layout. The lessons list renders the selected
 * lesson while the learner looks at it, so opening it draws at once (a first render, with the markdown
 * lexer still cold, took ~100-200 ms); the reader renders whatever is not here yet.
 */

type Renderer = (lesson: Lesson, options: RenderOptions) => RenderedDocument;

/** Per lesson object: a reloaded library has new objects, so an edited lesson is never shown stale. */
const kept = new WeakMap<Lesson, Map<string, RenderedDocument>>();

function layoutKey(options: RenderOptions): string {
  return `${options.width}\u0000${options.boxDrawing ?? ''}\u0000${options.language ?? ''}`;
}

/** The reader's text is the body less its scroll bar and margins. */
export function readerTextWidth(bodyWidth: number): number {
  return Math.max(20, bodyWidth - 3);
}

export function renderedLesson(render: Renderer, lesson: Lesson, options: RenderOptions): RenderedDocument {
  const key = layoutKey(options);
  const forLesson = kept.get(lesson) ?? new Map<string, RenderedDocument>();
  kept.set(lesson, forLesson);
  let document = forLesson.get(key);
  if (!document) {
    document = render(lesson, options);
    // one layout per lesson is what the reader uses; a resize replaces it
    forLesson.clear();
    forLesson.set(key, document);
  }
  return document;
}

/** Renders `lesson` ahead, for the reader to find; failures are the reader's to show when it opens. */
export async function prepareLesson(lesson: Lesson, options: RenderOptions): Promise<void> {
  const { renderLesson } = await import('../lessons/render.js');
  try {
    renderedLesson(renderLesson, lesson, options);
  } catch {
    // the reader renders it again and says what is wrong
  }
}
