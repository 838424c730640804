// The local calendar: the meeting is our own row and its invitation an .ics file the bot offers for download.
// No network: creating and cancelling are bookkeeping only.
import type { CalendarMeeting, CalendarPort, FreeBusy } from './port.js';

export class LocalCalendar implements CalendarPort {
  readonly kind = 'local' as const;

  async create(m: CalendarMeeting): Promise<{ externalId: string; joinUrl: string | null }> {
    return { externalId: `local:${m.id}`, joinUrl: null };
  }

  async update(): Promise<{ joinUrl: string | null }> {
    // The download link serves the changed invitation with a raised SEQUENCE.
    return { joinUrl: null };
  }

  async cancel(): Promise<void> {
    // The cancelled invitation (METHOD:CANCEL) is served from the same download link.
  }

  async busy(): Promise<FreeBusy> {
    // No mailboxes here: only the channel's own meetings (which the use case adds) are known to be busy.
    return { busy: [], read: 0 };
  }
}

const LOCAL = new LocalCalendar();

/**
 * The calendar that serves a meeting: the one it was planned in. A meeting planned locally keeps its .ics link (which
 * serves every change) after Graph is configured; a Microsoft 365 event is out of reach once Graph is not (undefined).
 */
export function calendarFor(planned: string, configured: CalendarPort): CalendarPort | undefined {
  if (planned === configured.kind) return configured;
  return planned === LOCAL.kind ? LOCAL : undefined;
}
