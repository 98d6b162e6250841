import type { OspreyEvent, Topic } from '../../core/events.js';
import type { EventBus } from '../bus/bus.js';
import { BaseComponent } from '../engine/lifecycle.js';
import type { StateEnv } from '../state/env.js';
import { AuditJournal } from './journal.js';

/**
 * Journals every bus event except the topics excluded by config. Market data is excluded by default:
 * at tens of thousands of messages a second it would dominate the journal and the write thread, and the
 * recorded feeds (not the journal) are what replays market data.
 */
export class AuditComponent extends BaseComponent {
  readonly #env: StateEnv;
  readonly #bus: EventBus;
  readonly #excluded: ReadonlySet<Topic>;
  #journal: AuditJournal | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(env: StateEnv, bus: EventBus, excluded: readonly Topic[]) {
    super('audit');
    this.#env = env;
    this.#bus = bus;
    this.#excluded = new Set(excluded);
  }

  get journal(): AuditJournal {
    if (this.#journal === undefined) throw new Error('audit journal used before the audit component started');
    return this.#journal;
  }

  protected async onStart(): Promise<void> {
    const journal = new AuditJournal(this.#env);
    this.#journal = journal;
    const excluded = this.#excluded;
    this.#unsubscribe = this.#bus.subscribeAll((event: OspreyEvent) => {
      if (!excluded.has(event.type)) journal.recordEvent(event);
    }, 'audit-journal');
  }

  protected async onStop(): Promise<void> {
    this.#unsubscribe?.();
    await this.#journal?.flush();
  }
}
