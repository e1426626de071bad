import type { Engine } from '../engine/engine-types.js';
import { FLATTEN_ALL_QUESTION, flattenOutcome, type TrayOutcome, type TrayQuestion } from './tray-flatten.js';
import type { TrayAction } from './tray-model.js';

/** What a tray click may touch; main.ts passes the real engine and Electron calls, tests pass fakes. */
export interface TrayActionTargets {
  engine: Pick<Engine, 'setPaused' | 'flatten' | 'startTunnel' | 'stopTunnel'>;
  showWindow(): void;
  copyText(text: string): void;
  setOpenAtLogin(openAtLogin: boolean): void;
  quit(): void;
  /** Tells the user something they asked for failed (the tray's own lines show only a short version). */
  reportError(title: string, error: unknown): void;
  /** Asks before something that cannot be undone (a native dialog); true only for the confirming button. */
  confirm(question: TrayQuestion): Promise<boolean>;
  /** Tells the user what a finished action did. */
  showOutcome(outcome: TrayOutcome): void;
}

/** A start the user cancelled by stopping the tunnel is not a failure worth a dialog. */
function isCancellation(error: unknown): boolean {
  return error instanceof Error && error.name === 'TunnelCancelledError';
}

/** A flatten's confirm is open or its work under way: a second click of the item does nothing. */
let flattening = false;

/** Carries out one tray click. Resolves when the work is done, so the caller can refresh the tray. */
export async function performTrayAction(action: TrayAction, targets: TrayActionTargets): Promise<void> {
  switch (action.type) {
    case 'open-window':
      targets.showWindow();
      return;
    case 'set-paused':
      targets.engine.setPaused(action.paused);
      return;
    case 'flatten-all-and-pause': {
      if (flattening) return;
      flattening = true;
      try {
        if (!(await targets.confirm(FLATTEN_ALL_QUESTION))) return;
        targets.showOutcome(flattenOutcome(await targets.engine.flatten({ pause: true })));
      } catch (error) {
        targets.reportError('Flatten all stopped on an error: see the Positions page and Live orders', error);
      } finally {
        flattening = false;
      }
      return;
    }
    case 'start-tunnel':
      try {
        await targets.engine.startTunnel(action.kind);
      } catch (error) {
        if (!isCancellation(error)) targets.reportError(`The ${action.kind} tunnel did not start`, error);
      }
      return;
    case 'stop-tunnel':
      try {
        await targets.engine.stopTunnel();
      } catch (error) {
        targets.reportError('The tunnel did not stop cleanly', error);
      }
      return;
    case 'copy-text':
      targets.copyText(action.text);
      return;
    case 'set-open-at-login':
      targets.setOpenAtLogin(action.openAtLogin);
      return;
    case 'quit':
      targets.quit();
      return;
  }
}
