// Hydration on the page's own signal: Remix's scripts wait in an inert <template> until
// releaseDeferredScripts() moves them into the document (the lesson page calls it once its
// video shows a first frame), or someone reaches for the page, or a time limit passes.
// Remix streams the loader data in inline scripts after </html>, which would run before
// the deferred context script that receives them: a stand-in controller keeps the chunks
// and hands them over once the real one exists.

export const DEFERRED_SCRIPTS_ID = 'deferred-scripts';
export const DEFERRED_SCRIPTS_TARGET_ID = 'deferred-scripts-run';

type StreamController = { enqueue: (chunk: unknown) => void; close: () => void };
export type WindowWithDeferredScripts = Window & {
  __remixContext?: { streamController: StreamController };
  releaseDeferredScripts?: () => void;
  /** Set by a script that wanted React before this one was parsed. */
  releaseDeferredScriptsSoon?: boolean;
};

export interface DeferredScriptsConfig {
  templateId: string;
  targetId: string;
  releaseAfterMs: number;
}

/** Runs inline before the streamed data scripts; self-contained (serialised with toString). */
export function holdDeferredScripts(c: DeferredScriptsConfig): void {
  const w = window as WindowWithDeferredScripts;
  const chunks: unknown[] = [];
  let closed = false;
  let released = false;
  w.__remixContext = { streamController: { enqueue: (chunk) => void chunks.push(chunk), close: () => void (closed = true) } };
  const release = () => {
    const template = document.getElementById(c.templateId) as HTMLTemplateElement | null;
    const target = document.getElementById(c.targetId);
    if (released || !template || !target) return;
    released = true;
    // Inline scripts run as they are inserted: the real context (and its controller) exists after this line.
    target.append(document.importNode(template.content, true));
    const controller = w.__remixContext!.streamController;
    chunks.forEach((chunk) => controller.enqueue(chunk));
    if (closed) controller.close();
  };
  w.releaseDeferredScripts = release;
  for (const type of ['pointerdown', 'keydown', 'focusin']) addEventListener(type, release, { once: true, capture: true });
  setTimeout(release, c.releaseAfterMs);
  if (w.releaseDeferredScriptsSoon) release();
}

export function holdDeferredScriptsScript(config: DeferredScriptsConfig): string {
  return `(${holdDeferredScripts.toString()})(${JSON.stringify(config)});`;
}
