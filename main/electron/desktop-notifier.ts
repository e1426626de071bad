import { Notification } from 'electron';
import type { DesktopNotification } from './notifications.js';

/** Shows notifications.ts's decisions as OS notifications; a click on one runs `onClick`. */
export class DesktopNotifier {
  /** Held until closed: a notification the garbage collector takes loses its click handler. */
  readonly #showing = new Set<Notification>();
  readonly #onClick: () => void;

  constructor(onClick: () => void) {
    this.#onClick = onClick;
  }

  show(content: DesktopNotification): void {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title: content.title, body: content.body });
    this.#showing.add(notification);
    notification.on('click', () => this.#onClick());
    notification.on('close', () => this.#showing.delete(notification));
    notification.show();
  }
}
