import type { Logger } from '@faultline/shared';
import type { EventDefinitionTable } from '../core/event-definitions.js';
import type { Inventory } from '../core/inventory.js';
import type { OidNames } from '../core/oid-names.js';
import { trapToEvent, type Notification } from '../core/trap-to-event.js';
import type { EventSink } from '../ports.js';

/** Received notification → event → events queue. */
export interface TrapPipeline {
  /** Returns false when the event could not be queued. */
  handle(notification: Notification): boolean;
}

export function createTrapPipeline(deps: {
  readonly inventory: Inventory;
  readonly definitions: EventDefinitionTable;
  /** MIB names for the event details (built-in and vendor MIBs). */
  readonly names?: OidNames;
  readonly sink: EventSink;
  readonly logger: Logger;
}): TrapPipeline {
  return {
    handle(notification) {
      const event = trapToEvent(notification, deps.inventory, deps.definitions, deps.names);
      deps.logger.debug(
        {
          eventId: event.id,
          device: event.device,
          type: event.type,
          reductionKey: event.reductionKey,
        },
        'trap received',
      );
      return deps.sink.enqueue(event);
    },
  };
}
